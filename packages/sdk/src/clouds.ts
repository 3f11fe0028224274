// The Microsoft clouds and where a client's requests go: the cloud's Graph, or a baseUrl.
import { DEFAULT_API_VERSION, type GraphApiVersion } from "./constants.js";
import { GraphSyncError } from "./errors/graphSyncError.js";

/** The Microsoft clouds the SDK knows. */
export type CloudName = "global" | "usgov" | "usgov-dod" | "china";

/** Where Graph and Entra ID live in one cloud, and whether the action exists there. */
export interface CloudEnvironment {
  /** The cloud's key in {@link clouds}, as the `cloud` options take it. */
  readonly name: CloudName;
  /** The cloud's name as Microsoft documents it, for messages (`Microsoft Graph for US Government L4`). */
  readonly displayName: string;
  /** Graph's root URL, without a version segment. */
  readonly graphUrl: string;
  /** The Entra ID authority host tokens come from. */
  readonly authorityHost: string;
  /** The scope an app-only token for this cloud's Graph is requested with. */
  readonly scope: string;
  /** Whether Graph offers synchronization: acquireAccessToken in this cloud. */
  readonly supportsAcquireAccessToken: boolean;
}

/**
 * Graph's national cloud deployments (learn.microsoft.com/graph/deployments). The action is
 * documented for the global service and US Government L4/L5, not for China (21Vianet).
 */
export const clouds: Readonly<Record<CloudName, CloudEnvironment>> = Object.freeze({
  global: {
    name: "global",
    displayName: "Microsoft Graph global service",
    graphUrl: "https://graph.microsoft.com",
    authorityHost: "https://login.microsoftonline.com",
    scope: "https://graph.microsoft.com/.default",
    supportsAcquireAccessToken: true,
  },
  usgov: {
    name: "usgov",
    displayName: "Microsoft Graph for US Government L4",
    graphUrl: "https://graph.microsoft.us",
    authorityHost: "https://login.microsoftonline.us",
    scope: "https://graph.microsoft.us/.default",
    supportsAcquireAccessToken: true,
  },
  "usgov-dod": {
    name: "usgov-dod",
    displayName: "Microsoft Graph for US Government L5 (DoD)",
    graphUrl: "https://dod-graph.microsoft.us",
    authorityHost: "https://login.microsoftonline.us",
    scope: "https://dod-graph.microsoft.us/.default",
    supportsAcquireAccessToken: true,
  },
  china: {
    name: "china",
    displayName: "Microsoft Graph China operated by 21Vianet",
    graphUrl: "https://microsoftgraph.chinacloudapi.cn",
    authorityHost: "https://login.chinacloudapi.cn",
    scope: "https://microsoftgraph.chinacloudapi.cn/.default",
    supportsAcquireAccessToken: false,
  },
});

/** The cloud names, for help texts and validation messages. */
export const cloudNames = Object.keys(clouds) as CloudName[];

/** Looks up a cloud by name; an unknown name is a configuration error that lists the valid ones. */
export function getCloud(name: string): CloudEnvironment {
  if (Object.hasOwn(clouds, name)) return clouds[name as CloudName];
  throw new GraphSyncError(`Unknown cloud "${name}". Use one of: ${cloudNames.join(", ")}.`, {
    kind: "configuration",
    code: "UnknownCloud",
  });
}

/**
 * Fails before any request is sent when the action does not exist in `cloud`, instead of letting
 * the caller discover it from an obscure 400 or 404.
 */
export function assertActionAvailable(cloud: CloudEnvironment): void {
  if (cloud.supportsAcquireAccessToken) return;
  throw new GraphSyncError(
    `synchronization: acquireAccessToken is not available in ${cloud.displayName} (cloud "${cloud.name}"): ` +
      "Microsoft Graph does not offer it there. Configure provisioning for this application in the " +
      "Microsoft Entra admin center of that cloud instead, or use a cloud where the action exists " +
      `(${cloudNames.filter((name) => clouds[name].supportsAcquireAccessToken).join(", ")}).`,
    { kind: "configuration", code: "ActionNotAvailableInCloud" },
  );
}

/**
 * The hosts of the known clouds' authorities. MSAL's instance discovery only works for these; any
 * other authority host (an emulator, a private proxy) needs discovery switched off.
 */
export function isKnownAuthorityHost(authorityHost: string): boolean {
  const host = hostOf(authorityHost);
  return host !== undefined && cloudNames.some((name) => hostOf(clouds[name].authorityHost) === host);
}

/** The host (and port, if any) of `url`, lower-cased as URL does; undefined when it is not a URL. */
export function hostOf(url: string): string | undefined {
  try {
    return new URL(url).host;
  } catch {
    return undefined;
  }
}

/** The Graph API versions the SDK calls, the default first. */
export const apiVersions: readonly GraphApiVersion[] = ["v1.0", "beta"];

/** Where one client's requests go, as {@link resolveGraphEndpoint} settled it. */
export interface GraphEndpoint {
  /** The versioned URL, for example `https://graph.microsoft.com/v1.0`. */
  readonly graphUrl: string;
  /** The version in `graphUrl`: from the baseUrl's path, else the requested one, else the default. */
  readonly apiVersion: GraphApiVersion;
  /** The only host that receives the token: the one requests go to. */
  readonly allowedHost: string;
}

const loopbackHosts = new Set(["localhost", "127.0.0.1", "[::1]", "::1"]);

/**
 * Where requests go: the cloud's Graph, or `baseUrl` (an emulator or proxy) when given. A baseUrl
 * may already end with the version segment; if it does, it must agree with `apiVersion`.
 */
export function resolveGraphEndpoint(
  cloud: CloudEnvironment,
  requestedVersion: string | undefined,
  baseUrl: string | undefined,
): GraphEndpoint {
  if (requestedVersion !== undefined && !(apiVersions as readonly string[]).includes(requestedVersion)) {
    throw configurationError(`Unknown apiVersion "${requestedVersion}". Use "v1.0" (default) or "beta".`, "InvalidApiVersion");
  }
  if (baseUrl === undefined) {
    const apiVersion = (requestedVersion as GraphApiVersion | undefined) ?? DEFAULT_API_VERSION;
    return { graphUrl: `${cloud.graphUrl}/${apiVersion}`, apiVersion, allowedHost: new URL(cloud.graphUrl).hostname };
  }

  let url: URL;
  try {
    url = new URL(baseUrl);
  } catch {
    throw configurationError(`baseUrl "${baseUrl}" is not a valid URL; expected something like http://127.0.0.1:8080.`, "InvalidBaseUrl");
  }
  if (url.protocol !== "https:" && url.protocol !== "http:") {
    throw configurationError(`baseUrl must use https (or http for a loopback emulator), not ${url.protocol}.`, "InvalidBaseUrl");
  }
  if (url.protocol === "http:" && !loopbackHosts.has(url.hostname)) {
    // The token guard puts the token on every request to the allowed host: never over plain http but to loopback.
    throw configurationError(
      `baseUrl ${url.origin} uses plain http on a non-loopback host: the token would travel unencrypted. Use https, or http only with localhost / 127.0.0.1 / [::1].`,
      "InsecureBaseUrl",
    );
  }
  if (url.username || url.password || url.search || url.hash) {
    throw configurationError("baseUrl must not contain credentials, a query or a fragment.", "InvalidBaseUrl");
  }
  const path = url.pathname.replace(/\/+$/, "");
  const versionInPath = apiVersions.find((version) => path.endsWith(`/${version}`));
  if (versionInPath && requestedVersion && versionInPath !== requestedVersion) {
    throw configurationError(
      `baseUrl ends with /${versionInPath} but apiVersion is "${requestedVersion}": drop the version from baseUrl or make them agree.`,
      "InvalidBaseUrl",
    );
  }
  const apiVersion = versionInPath ?? ((requestedVersion as GraphApiVersion | undefined) ?? DEFAULT_API_VERSION);
  const graphUrl = versionInPath ? `${url.origin}${path}` : `${url.origin}${path}/${apiVersion}`;
  return { graphUrl, apiVersion, allowedHost: url.hostname };
}

function configurationError(message: string, code: string): GraphSyncError {
  return new GraphSyncError(message, { kind: "configuration", code });
}
