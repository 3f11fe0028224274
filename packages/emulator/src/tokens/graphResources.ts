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
