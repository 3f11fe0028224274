import {
  bundle,
  createConfig,
  detectSpec,
  makeDocumentFromString,
  type Oas3Decorator,
  type Plugin,
} from "@redocly/openapi-core";
import { removeUnreachableComponents } from "./reachableComponents.ts";
import { SpecInputError } from "./specError.ts";

/** An OpenAPI document as plain data. */
export type OpenApiDocument = Record<string, unknown> & {
  paths?: Record<string, Record<string, unknown>>;
  components?: Record<string, Record<string, unknown>>;
  tags?: Array<{ name: string }>;
};

/**
 * Keeps the given paths and drops every other one, then the root `tags` no kept operation uses.
 * Redocly's own `filter-in` cannot do this: it matches a property of path items or operations, and
 * a path's template is the key it sits under, not a property. Everything else (reading the
 * document, resolving `$ref`s, removing components nothing refers to, transitively) is Redocly's
 * bundler, followed by removeUnreachableComponents for the one kind of schema it keeps on purpose.
 */
const keepPaths: Oas3Decorator = (options) => {
  const kept = new Set(options["paths"] as readonly string[]);
  const usedTags = new Set<string>();
  return {
    Paths: {
      enter(pathsNode) {
        for (const path of Object.keys(pathsNode)) {
          if (!kept.has(path)) delete pathsNode[path];
        }
      },
    },
    Operation: {
      enter(operation) {
        for (const tag of operation.tags ?? []) usedTags.add(tag);
      },
    },
    Root: {
      leave(root) {
        if (Array.isArray(root.tags)) root.tags = root.tags.filter((tag) => usedTags.has(tag.name));
      },
    },
  };
};

// Plugins handed to createConfig directly are not namespaced by their id, so the decorator's key
// carries the prefix itself (as a plugin loaded from a config file would get it).
const KEEP_PATHS = "graph-sync/keep-paths";
const slicePlugin: Plugin = {
  id: "graph-sync",
  decorators: { oas3: { [KEEP_PATHS]: keepPaths } },
};

export interface SliceResult {
  document: OpenApiDocument;
  /** Milliseconds spent parsing and slicing, for the report. */
  parseMs: number;
  sliceMs: number;
}

/**
 * Cuts `paths` and every component they reach out of a full OpenAPI 3 description. `source` names
 * the description in messages. Fails with a {@link SpecInputError} on anything that would make the
 * slice wrong: not OpenAPI 3, a path missing, a `$ref` in the slice that does not resolve, an enum
 * that lists a member twice.
 */
export async function sliceDescription(text: string, source: string, paths: readonly string[]): Promise<SliceResult> {
  const started = performance.now();
  let document;
  try {
    // Parsed once, here; the bundler works on this document rather than parsing the text again.
    document = makeDocumentFromString(text, "/description.yaml");
  } catch (error) {
    throw new SpecInputError(`${source} is not YAML or JSON (${firstLine(error)}): give Graph's OpenAPI description.`);
  }
  const parsed = document.parsed as OpenApiDocument | null;
  if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed) || typeof parsed["openapi"] !== "string") {
    throw new SpecInputError(`${source} is not an OpenAPI description (it has no 'openapi' version field): give Graph's description, e.g. msgraph-metadata's openapi/v1.0/openapi.yaml.`);
  }
  const spec = detectSpec(parsed);
  if (spec !== "oas3_0" && spec !== "oas3_1") {
    throw new SpecInputError(`${source} is ${spec}, not OpenAPI 3.0 or 3.1 as Graph publishes: give Graph's OpenAPI description.`);
  }
  const missing = paths.filter((path) => !Object.hasOwn(parsed.paths ?? {}, path));
  if (missing.length > 0) {
    throw new SpecInputError(`${source} does not describe ${missing.join(" or ")}: it is not Graph's full description (or Graph renamed the action; then the slice needs a decision, not an update).`);
  }
  const parseMs = performance.now() - started;

  const config = await createConfig(
    { decorators: { [KEEP_PATHS]: { paths: [...paths] } } },
    { plugins: [slicePlugin] },
  );
  const result = await bundle({ doc: document, config, removeUnusedComponents: true, dereference: false });
  const sliced = result.bundle.parsed as OpenApiDocument;
  removeUnreachableComponents(sliced);
  // The bundler reports a reference that does not resolve wherever it walks, components the slice
  // then drops included: only those inside the slice make it wrong.
  const unresolved = result.problems.filter((problem) => problem.severity === "error" && isInSlice(sliced, problem.location[0]?.pointer));
  if (unresolved.length > 0) {
    const where = unresolved.map((problem) => `${problem.message} (at ${problem.location[0]?.pointer ?? "?"})`);
    const listed = where.slice(0, 5).join("; ") + (where.length > 5 ? `; and ${where.length - 5} more` : "");
    throw new SpecInputError(`${source} has references the slice needs that do not resolve: ${listed}. The description is damaged or incomplete; fetch it again.`);
  }
  rejectDuplicateEnumMembers(sliced, source);
  return { document: sliced, parseMs, sliceMs: performance.now() - started - parseMs };
}

/** An enum that lists a member twice makes the generated client and the SDK's key list wrong. */
function rejectDuplicateEnumMembers(document: OpenApiDocument, source: string): void {
  for (const [name, schema] of Object.entries(document.components?.["schemas"] ?? {})) {
    const members = (schema as { enum?: unknown[] }).enum;
    if (!Array.isArray(members)) continue;
    const seen = new Set<unknown>();
    const repeated = [...new Set(members.filter((member) => seen.has(member) || !seen.add(member)))];
    if (repeated.length > 0) {
      throw new SpecInputError(`${source}: the enum ${name} lists ${repeated.map(String).join(", ")} more than once. The description is damaged; fetch it again or report it to msgraph-metadata.`);
    }
  }
}

/** Whether a JSON pointer (`#/paths/~1a/post/...`) lies in a path or component the slice kept. */
function isInSlice(document: OpenApiDocument, pointer: string | undefined): boolean {
  if (pointer === undefined) return true;
  const [section, name, entry] = pointer.replace(/^#\//, "").split("/").map((token) => token.replaceAll("~1", "/").replaceAll("~0", "~"));
  if (section === "paths") return name !== undefined && Object.hasOwn(document.paths ?? {}, name);
  if (section === "components") return name !== undefined && entry !== undefined && Object.hasOwn(document.components?.[name] ?? {}, entry);
  return true;
}

function firstLine(error: unknown): string {
  return String((error as Error).message ?? error).split("\n")[0] ?? "";
}
