/**
 * The Microsoft Graph resources a token can be requested for: the global service, the national
 * clouds (US Government L4 and L5, China operated by 21Vianet) and Graph's application id. Each is
 * requested as `{resource}/.default` and becomes the token's `aud`; the emulated Graph accepts all
 * of them, so code written for any cloud works against one emulator.
 */
export const graphResources = [
  "https://graph.microsoft.com",
  "https://graph.microsoft.us",
  "https://dod-graph.microsoft.us",
  "https://microsoftgraph.chinacloudapi.cn",
  "00000003-0000-0000-c000-000000000000",
] as const;

export type GraphResource = (typeof graphResources)[number];

/** Scopes MSAL may add on its own; they are not resources and are ignored when present. */
const openIdScopes = new Set(["openid", "profile", "offline_access", "email"]);

/**
 * Resolves the `scope` of a client-credentials request to the one Graph resource it names, or
 * `undefined` when it names none, several, or something other than `{resource}/.default` (the
 * client-credentials grant only takes `.default`).
 */
export function resolveGraphScope(scope: string): GraphResource | undefined {
  const requested = scope
    .split(" ")
    .filter((part) => part !== "" && !openIdScopes.has(part.toLowerCase()));
  if (requested.length !== 1) return undefined;
  const [only] = requested;
  const suffix = "/.default";
  if (!only?.toLowerCase().endsWith(suffix)) return undefined;
  const resource = only.slice(0, -suffix.length).replace(/\/+$/, "").toLowerCase();
  return graphResources.find((candidate) => candidate === resource);
}

/** True when `audience` is one the emulated Graph accepts. */
export function isGraphAudience(audience: string): boolean {
  return (graphResources as readonly string[]).includes(audience.toLowerCase());
}

/** A delegated token request's scope, resolved: the Graph resource and what it asks of it. */
export interface DelegatedScopeRequest {
  resource: GraphResource;
  /** Permission names asked for explicitly (`https://graph.microsoft.com/User.Read` → `User.Read`); empty for `.default`. */
  permissions: string[];
  /** True when the request is `{resource}/.default`: every permission consented for the app. */
  allConsented: boolean;
  /** The OpenID Connect scopes asked for as well (`openid`, `profile`, `offline_access`, `email`). */
  openIdScopes: string[];
}

/**
 * Resolves the `scope` of a delegated (device code) request: OpenID Connect scopes plus Graph
 * permissions of one resource, either `{resource}/.default` or `{resource}/{Permission}` entries
 * (a bare `User.Read` means Graph, as Entra reads it). `undefined` when it names no Graph
 * permission, another resource, several resources, or mixes `.default` with explicit permissions.
 */
export function resolveDelegatedScope(scope: string): DelegatedScopeRequest | undefined {
  const parts = scope.split(" ").filter((part) => part !== "");
  const openIdScopesAsked = parts.filter((part) => openIdScopes.has(part.toLowerCase())).map((part) => part.toLowerCase());
  const asked = parts.filter((part) => !openIdScopes.has(part.toLowerCase()));
  if (asked.length === 0) return undefined;
  const resolved = asked.map((part) => {
    const slash = part.lastIndexOf("/");
    if (slash < 0) return { resource: graphResources[0] as string, name: part };
    return { resource: part.slice(0, slash).replace(/\/+$/, "").toLowerCase(), name: part.slice(slash + 1) };
  });
  const resource = graphResources.find((candidate) => candidate === resolved[0]?.resource);
  const wellFormed = (name: string) => name === ".default" || /^[A-Za-z][A-Za-z.]*$/.test(name);
  if (!resource || resolved.some((entry) => entry.resource !== resource || !wellFormed(entry.name))) {
    return undefined;
  }
  const allConsented = resolved.some((entry) => entry.name === ".default");
  if (allConsented && resolved.length > 1) return undefined;
  return {
    resource,
    permissions: allConsented ? [] : [...new Set(resolved.map((entry) => entry.name))],
    allConsented,
    openIdScopes: openIdScopesAsked,
  };
}
