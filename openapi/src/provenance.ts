import path from "node:path";
import type { OpenApiDocument } from "./sliceDescription.ts";

/**
 * The extension of a fragment's `info` that says what it was sliced from. No time is recorded: the
 * same description must keep giving the same bytes, so a fragment changes only when its input does.
 */
export const PROVENANCE_EXTENSION = "x-graph-sync-sliced-from";

/** What a fragment was sliced from. */
export interface Provenance {
  /**
   * The description as given to update-spec: its URL, or its file name (without the folder, which
   * says where one machine keeps it, not what it is).
   */
  source: string;
  /** SHA-256 of the description's bytes, lowercase hex: compare with `sha256sum` of a download. */
  sha256: string;
  /** The description's size in bytes. */
  size: number;
}

/** The provenance of a description read from `given` (a path or a URL). */
export function provenanceOf(given: string, sha256: string, size: number): Provenance {
  return { source: /^https?:\/\//i.test(given) ? given : path.basename(given), sha256, size };
}

/** A copy of the document whose `info` ends with the provenance extension. */
export function withProvenance(document: OpenApiDocument, provenance: Provenance): OpenApiDocument {
  const info = { ...((document["info"] as Record<string, unknown> | undefined) ?? {}) };
  delete info[PROVENANCE_EXTENSION];
  return { ...document, info: { ...info, [PROVENANCE_EXTENSION]: { ...provenance } } };
}

/** The provenance a (committed) fragment records, if it records one. */
export function provenanceIn(document: OpenApiDocument | undefined): Provenance | undefined {
  const recorded = (document?.["info"] as Record<string, unknown> | undefined)?.[PROVENANCE_EXTENSION] as Partial<Provenance> | undefined;
  if (typeof recorded?.source !== "string" || typeof recorded.sha256 !== "string" || typeof recorded.size !== "number") return undefined;
  return { source: recorded.source, sha256: recorded.sha256, size: recorded.size };
}

/** One line for reports: `graph-v1.0.yaml (sha256 ab12…, 1,234 bytes)`. */
export function describeProvenance(provenance: Provenance): string {
  return `${provenance.source} (sha256 ${provenance.sha256}, ${provenance.size} bytes)`;
}
