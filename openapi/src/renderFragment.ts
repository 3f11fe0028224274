import { stringify } from "yaml";
import type { GraphVersion } from "./graphVersion.ts";
import type { OpenApiDocument } from "./sliceDescription.ts";

const HEADER = (version: string) => `# Microsoft Graph ${version}: the action synchronization: acquireAccessToken on applications and service
# principals, and everything it refers to, sliced from Graph's published OpenAPI description
# (msgraph-metadata, converted from CSDL by OpenAPI.NET.OData). Written by \`npm run update-spec\`:
# do not edit; see README.md, "When the spec changes".
`;

/**
 * The fragment as YAML, the same bytes for the same slice: paths and the components of each
 * section in code-point order (so a reordering upstream is no change here), every other key in the
 * converter's own order, no line folding, and quotes wherever a YAML 1.1 reader would otherwise
 * see something other than a string (`'2027-07-06'`, `'204'`). The header names `version`, the
 * version its server says it is (its `info.version` is whatever the converter was set to write).
 */
export function renderFragment(document: OpenApiDocument, version: GraphVersion): string {
  const ordered: OpenApiDocument = { ...document };
  if (document.paths) ordered.paths = sortKeys(document.paths);
  if (document.components) {
    ordered.components = Object.fromEntries(
      Object.entries(document.components).map(([section, entries]) => [section, sortKeys(entries)]),
    );
  }
  return HEADER(version) + stringify(ordered, { lineWidth: 0, singleQuote: true, version: "1.1" });
}

function sortKeys<T>(record: Record<string, T>): Record<string, T> {
  return Object.fromEntries(Object.keys(record).sort(compareCodePoints).map((key) => [key, record[key]!]));
}

function compareCodePoints(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
