import { existsSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import type { SynchronizationObjectKind } from "../state/model.js";

/**
 * Where the fragment is looked for: next to the compiled code, where the build copies it
 * (`dist/openapi/`), then the package's own copy (`openapi/`, written by `npm run generate` from the
 * repository's fragment; found from `src/` during development).
 */
const candidateLocations = [
  new URL("../openapi/acquire-access-token.json", import.meta.url),
  new URL("../../openapi/acquire-access-token.json", import.meta.url),
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
function locateOpenApiFragment(): string {
  for (const location of candidateLocations) {
    const path = fileURLToPath(location);
    if (existsSync(path)) return path;
  }
  throw new Error(
    `Cannot find the OpenAPI fragment; looked in ${candidateLocations.map((location) => fileURLToPath(location)).join(", ")}. ` +
      "Run `npm run generate` in the repository (it writes the package's openapi/), or reinstall the package.",
  );
}

/**
 * Reads the fragment (JSON, or YAML) and derives the routes the emulated Graph serves from its
 * paths. Each file is read once per process (it is part of the installed package), so later starts
 * reuse it, and the request validator compiled from it.
 */
export function loadOpenApiFragment(path: string = locateOpenApiFragment()): Promise<OpenApiFragment> {
  let fragment = fragmentsByPath.get(path);
  if (!fragment) {
    fragment = readOpenApiFragment(path);
    fragmentsByPath.set(path, fragment);
    fragment.catch(() => fragmentsByPath.delete(path));
  }
  return fragment;
}

const fragmentsByPath = new Map<string, Promise<OpenApiFragment>>();

async function readOpenApiFragment(path: string): Promise<OpenApiFragment> {
  const text = await readFile(path, "utf8");
  // A YAML fragment (given explicitly, e.g. by a test) loads the YAML library; the shipped copy is JSON.
  const document = (path.endsWith(".json") ? JSON.parse(text) : (await import("yaml")).parse(text)) as Record<string, unknown>;
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
