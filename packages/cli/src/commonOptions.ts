import { apiVersions, clouds, type CloudName, type GraphApiVersion } from "@graph-sync/sdk";
import { didYouMean, UsageError } from "./usageError.js";

const cloudNames = Object.keys(clouds) as CloudName[];

/** Options every command that calls Graph understands. */
export const connectionOptions = {
  cloud: { type: "string" },
  "api-version": { type: "string" },
  "graph-url": { type: "string" },
  "authority-host": { type: "string" },
  json: { type: "boolean" },
  verbose: { type: "boolean" },
  help: { type: "boolean", short: "h" },
} as const;

/**
 * The environment variable that stands for --graph-url when the option is not given, so that the
 * export lines `graph-sync-emulator --print-env` prints are all a shell needs to call the emulator.
 */
export const GRAPH_URL_ENV_VAR = "GRAPH_SYNC_GRAPH_URL";

/** The Graph root to call: --graph-url, else GRAPH_SYNC_GRAPH_URL, else none (the cloud's Graph). */
export function graphUrlFrom(values: { readonly "graph-url"?: string | undefined }, env: Readonly<Record<string, string | undefined>>): string | undefined {
  return values["graph-url"] || env[GRAPH_URL_ENV_VAR]?.trim() || undefined;
}

/** `--cloud`: one of the SDK's cloud names, or a usage error that suggests one without echoing the value. */
export function parseCloud(value: string | undefined): CloudName | undefined {
  if (value === undefined) return undefined;
  if (!(cloudNames as readonly string[]).includes(value)) {
    throw new UsageError(`--cloud must be one of ${cloudNames.join(", ")}${didYouMean(value, cloudNames)} (the value given is not shown, in case it is a secret).`);
  }
  return value as CloudName;
}

/** `--api-version`: `v1.0` or `beta`, or a usage error that suggests one without echoing the value. */
export function parseApiVersion(value: string | undefined): GraphApiVersion | undefined {
  if (value === undefined) return undefined;
  if (!(apiVersions as readonly string[]).includes(value)) {
    throw new UsageError(`--api-version must be v1.0 or beta${didYouMean(value, apiVersions)} (the value given is not shown, in case it is a secret).`);
  }
  return value as GraphApiVersion;
}

/**
 * The Graph root the client calls (`https://graph.microsoft.com`, an emulator's `http://127.0.0.1:8480`):
 * what --graph-url takes and what the emulator prints as `graphUrl`. The CLI shows the API version
 * beside it rather than a versioned URL under the same name.
 */
export function graphRootOf(client: { readonly graphUrl: string; readonly apiVersion: GraphApiVersion }): string {
  const versionSegment = `/${client.apiVersion}`;
  return client.graphUrl.endsWith(versionSegment) ? client.graphUrl.slice(0, -versionSegment.length) : client.graphUrl;
}
