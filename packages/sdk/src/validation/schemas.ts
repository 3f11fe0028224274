// The JSON Schemas input is checked against (compiled ahead of time by ajv from the SDK's types:
// validation/generated, `npm run generate-schema`) and the synchronization secret keys they list.
import * as generated from "./generated/schemaValidators.js";
import type { SynchronizationSecret } from "@graph-sync/client";

/**
 * One problem an ajv validator found, as ajv reports it (the subset of `ErrorObject` the SDK reads).
 * `instancePath` is a JSON Pointer into the data (`/0/key`).
 */
export interface SchemaError {
  /** The JSON Schema keyword that failed (`required`, `pattern`, `additionalProperties`, …). */
  readonly keyword: string;
  /** Where in the data, as a JSON Pointer; empty for the data itself. */
  readonly instancePath: string;
  /** The keyword's details, such as `missingProperty` or `additionalProperty`. */
  readonly params: Readonly<Record<string, unknown>>;
  /** ajv's own wording: the message for keywords the SDK has no wording of its own for. */
  readonly message?: string;
}

/** An ajv validation function: true when `data` matches; otherwise its problems are in `errors`. */
export interface SchemaValidator {
  /** Checks `data`; true when it matches the schema. */
  (data: unknown): boolean;
  /** The last check's problems; null or absent after a match. */
  readonly errors?: readonly SchemaError[] | null;
}

/** The validators ajv compiled ahead of time from the SDK's JSON Schemas (validation/generated, `npm run generate-schema`). */
export interface CompiledSchemas {
  /** Validates the keyed-object form of the credentials. */
  readonly secretsObject: SchemaValidator;
  /** Validates the list form of the credentials. */
  readonly secretsList: SchemaValidator;
  /** Validates a target (`{ servicePrincipalId }` or `{ applicationId }`). */
  readonly target: SchemaValidator;
  /** The id pattern from the target schema, for messages that show the expected shape. */
  readonly objectIdPattern: RegExp;
}

/**
 * The JSON Schemas generated from credentialTypes.ts (schema/*.schema.json), as validation code
 * that ajv compiled ahead of time (generated/schemaValidators.ts, written by
 * scripts/generate-schema.mjs and checked by `check-schema`). Nothing is compiled or read from disk
 * at run time, and ajv itself is not loaded.
 *
 * The credentials schema is a union; its two branches are separate validators so that an input in
 * one shape is reported against that shape only, not against both.
 */
export const schemas: CompiledSchemas = Object.freeze({
  secretsObject: generated.validateSecretsObject as SchemaValidator,
  secretsList: generated.validateSecretsList as SchemaValidator,
  target: generated.validateTarget as SchemaValidator,
  objectIdPattern: new RegExp(generated.objectIdPattern as string),
});

/** The synchronization secret keys in Graph's order, as the generated schema lists them. */
export const schemaSecretKeys: readonly string[] = generated.secretKeys as readonly string[];

/**
 * The name of one synchronization secret, as Graph's `microsoft.graph.synchronizationSecret` enum
 * spells it (for example `Oauth2AuthorizationCode`). Re-exported on purpose from the
 * generated client so the SDK and Graph can never disagree about the list.
 */
export type SynchronizationSecretKey = SynchronizationSecret;

/**
 * Every synchronization secret key, in Graph's order. Taken from the generated client's enum type
 * through the generated JSON Schema (whose keyed form lists them in the enum's order), not written
 * out again here: `check-schema` keeps it in step with the client, and a test compares it with the
 * client's runtime enum object. Reading it from there rather than importing the client keeps the
 * SDK's import from loading Kiota.
 */
export const synchronizationSecretKeys: readonly SynchronizationSecretKey[] = Object.freeze(
  schemaSecretKeys as readonly SynchronizationSecretKey[],
);

const knownKeys: ReadonlySet<string> = new Set(synchronizationSecretKeys);

/** Whether `name` is one of the synchronization secret keys (case-sensitive, as Graph is). */
export function isSynchronizationSecretKey(name: string): name is SynchronizationSecretKey {
  return knownKeys.has(name);
}
