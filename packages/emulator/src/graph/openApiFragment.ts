import { existsSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { parse } from "yaml";
import type { SynchronizationObjectKind } from "../state/model.js";

/** The fragment's file name, the same in the repository's `openapi/` and in the package's `dist/`. */
export const openApiFileName = "acquire-access-token.yaml";

/**
 * Where the fragment is looked for: next to the compiled code (the build copies it to
 * `dist/openapi/`), then in the repository (when running from `src/` in the workspace).
 */
const candidateLocations = [
  new URL(`../openapi/${openApiFileName}`, import.meta.url),
  new URL(`../../../../openapi/${openApiFileName}`, import.meta.url),
];

/** A Graph action the fragment describes, as the emulated Graph routes it. */
export interface ActionRoute {
  /** The path template, e.g. `/applications/{application-id}/synchronization/acquireAccessToken`. */
  pathTemplate: string;
  /** `x-ms-docs-key-type` of the path's key parameter. */
  objectKind: SynchronizationObjectKind;
  /** Matches a request path below the version segment; group 1 is the object id. */
  pattern: RegExp;
  /** JSON pointer (for ajv, under the schema id `openapi`) of the operation's request body schema. */
  requestBodySchemaRef: string;
}

/** What the emulator takes from the OpenAPI fragment. */
export interface OpenApiFragment {
  path: string;
  /** The parsed document, for ajv. */
  document: Record<string, unknown>;
  routes: ActionRoute[];
}

/** Finds the fragment shipped with the package (or in the repository during development). */
export function locateOpenApiFragment(): string {
  for (const location of candidateLocations) {
    const path = fileURLToPath(location);
    if (existsSync(path)) return path;
  }
  throw new Error(
    `Cannot find ${openApiFileName}; looked in ${candidateLocations.map((location) => fileURLToPath(location)).join(", ")}. ` +
      "Build the package (npm run build) so that dist/openapi/ holds a copy.",
  );
}

/** Reads the fragment and derives the routes the emulated Graph serves from its paths. */
export function loadOpenApiFragment(path: string = locateOpenApiFragment()): OpenApiFragment {
  const document = parse(readFileSync(path, "utf8")) as Record<string, unknown>;
  const paths = (document["paths"] ?? {}) as Record<string, PathItem>;
  const routes: ActionRoute[] = [];
  for (const [pathTemplate, item] of Object.entries(paths)) {
    const keyParameter = item.parameters?.find((parameter) => parameter.in === "path");
    const objectKind = keyParameter?.["x-ms-docs-key-type"];
    if (!item.post || (objectKind !== "application" && objectKind !== "servicePrincipal")) continue;
    routes.push({
      pathTemplate,
      objectKind,
      pattern: templatePattern(pathTemplate),
      requestBodySchemaRef: `openapi#/paths/${jsonPointerToken(pathTemplate)}/post/requestBody/content/application~1json/schema`,
    });
  }
  if (routes.length === 0) throw new Error(`${path} describes no acquireAccessToken operation.`);
  return { path, document, routes };
}

interface PathItem {
  post?: unknown;
  parameters?: Array<{ name: string; in: string; "x-ms-docs-key-type"?: string }>;
}

/** `/applications/{application-id}/x` → `^/applications/([^/]+)/x$`, case-insensitive like Graph. */
function templatePattern(template: string): RegExp {
  const source = template
    .split(/(\{[^}]+\})/)
    .map((part) => (part.startsWith("{") ? "([^/]+)" : part.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")))
    .join("");
  return new RegExp(`^${source}$`, "i");
}

function jsonPointerToken(value: string): string {
  return value.replaceAll("~", "~0").replaceAll("/", "~1");
}
