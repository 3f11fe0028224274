import type { CloudEnvironment } from "./clouds.js";
import { DEFAULT_API_VERSION, type GraphApiVersion } from "./constants.js";
import { GraphSyncError } from "./errors/graphSyncError.js";

export const apiVersions: readonly GraphApiVersion[] = ["v1.0", "beta"];

export interface GraphEndpoint {
  /** The versioned URL, for example `https://graph.microsoft.com/v1.0`. */
  readonly graphUrl: string;
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
    // Kiota's auth provider refuses to put a token on plain http except for loopback; say so now.
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
