import { readFileSync } from "node:fs";
import { Ajv, type ValidateFunction } from "ajv";

/**
 * The JSON Schemas generated from credentialTypes.ts (schema/*.schema.json, shipped with the
 * package). Read relative to this module: `src/validation/` and `dist/validation/` sit at the same
 * depth below the package root, so the same path works from sources and from the build.
 */
function loadSchema(file: string): Record<string, unknown> {
  return JSON.parse(readFileSync(new URL(`../../schema/${file}`, import.meta.url), "utf8")) as Record<string, unknown>;
}

interface SchemaBranch {
  type?: string;
}

export interface CompiledSchemas {
  /** Validates the keyed-object form of the credentials. */
  readonly secretsObject: ValidateFunction;
  /** Validates the list form of the credentials. */
  readonly secretsList: ValidateFunction;
  /** Validates a target (`{ servicePrincipalId }` or `{ applicationId }`). */
  readonly target: ValidateFunction;
  /** The id pattern from the target schema, for messages that show the expected shape. */
  readonly objectIdPattern: RegExp;
}

let compiled: CompiledSchemas | undefined;

/**
 * Compiled once, on first use: compiling costs a few milliseconds that callers who never reach
 * validation (an import for types only) should not pay.
 *
 * The credentials schema is a union; its two branches are compiled separately so that an input
 * in one shape is reported against that shape only, not against both.
 */
export function getSchemas(): CompiledSchemas {
  if (compiled) return compiled;
  const ajv = new Ajv({ allErrors: true, strict: true });
  const credentials = loadSchema("credentials.schema.json");
  const target = loadSchema("target.schema.json");
  const branches = (credentials["anyOf"] ?? []) as SchemaBranch[];
  const objectBranch = branches.find((branch) => branch.type === "object");
  const listBranch = branches.find((branch) => branch.type === "array");
  if (!objectBranch || !listBranch) throw new Error("schema/credentials.schema.json lacks its object or array form");
  const targetBranches = (target["anyOf"] ?? []) as Array<{ properties?: Record<string, { pattern?: string }> }>;
  const pattern = targetBranches[0]?.properties?.["servicePrincipalId"]?.pattern;
  if (!pattern) throw new Error("schema/target.schema.json lacks the object id pattern");
  compiled = {
    secretsObject: ajv.compile(objectBranch),
    secretsList: ajv.compile(listBranch),
    target: ajv.compile(target),
    objectIdPattern: new RegExp(pattern),
  };
  return compiled;
}
