import type { OpenApiDocument } from "./sliceDescription.ts";
import { SpecInputError } from "./specError.ts";

/** The Graph API versions graph-sync keeps a fragment of, by the base URL that identifies each. */
export const GRAPH_BASE_URLS = {
  "v1.0": "https://graph.microsoft.com/v1.0",
  beta: "https://graph.microsoft.com/beta",
} as const;

/** A Graph API version graph-sync keeps a fragment of. */
export type GraphVersion = keyof typeof GRAPH_BASE_URLS;

/**
 * Which Graph version a description describes, decided by its first server URL. `info.version`
 * says nothing reliable: OpenAPI.NET.OData fills it from a setting (`SemVerVersion`, `1.0.0` by
 * default) and Graph's published descriptions carry `1.0.1` or `v1.0` in it, so any value is
 * accepted. `info.description` ("This OData service is located at https://graph.microsoft.com/v1.0")
 * must not name the other version: a description that contradicts itself is refused, not guessed.
 */
export function graphVersionOf(document: OpenApiDocument, source: string): GraphVersion {
  const servers = document["servers"];
  const first = Array.isArray(servers) ? (servers[0] as { url?: unknown } | undefined)?.url : undefined;
  if (typeof first !== "string") {
    throw new SpecInputError(`${source} names no server (servers[0].url), so it does not say which Graph version it describes: give Graph's published description, whose server is ${GRAPH_BASE_URLS["v1.0"]} or ${GRAPH_BASE_URLS.beta}.`);
  }
  const version = versionOfUrl(first);
  if (version === undefined) {
    throw new SpecInputError(`${source} describes the server ${first}, which is neither ${GRAPH_BASE_URLS["v1.0"]} nor ${GRAPH_BASE_URLS.beta}: give Graph's published v1.0 or beta description.`);
  }
  const description = (document["info"] as { description?: unknown } | undefined)?.description;
  if (typeof description === "string") {
    const named = [...description.matchAll(/https:\/\/graph\.microsoft\.com\/[^\s"'<>)]*/gi)].map((match) => match[0].replace(/[.,;:]+$/, ""));
    const contradicting = named.find((url) => versionOfUrl(url) !== version);
    if (contradicting !== undefined) {
      throw new SpecInputError(`${source} contradicts itself: its server is ${first} but info.description names ${contradicting}. The description is damaged or edited by hand; fetch Graph's published one again.`);
    }
  }
  return version;
}

function versionOfUrl(url: string): GraphVersion | undefined {
  const normalised = url.trim().replace(/\/+$/, "").toLowerCase();
  for (const [version, base] of Object.entries(GRAPH_BASE_URLS) as Array<[GraphVersion, string]>) {
    if (normalised === base.toLowerCase()) return version;
  }
  return undefined;
}
