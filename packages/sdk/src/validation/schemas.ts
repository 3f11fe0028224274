import * as generated from "./generated/schemaValidators.js";

/**
 * One problem an ajv validator found, as ajv reports it (the subset of `ErrorObject` the SDK reads).
 * `instancePath` is a JSON Pointer into the data (`/0/key`).
 */
export interface SchemaError {
  readonly keyword: string;
  readonly instancePath: string;
  readonly params: Readonly<Record<string, unknown>>;
  readonly message?: string;
}

/** An ajv validation function: true when `data` matches; otherwise its problems are in `errors`. */
export interface SchemaValidator {
  (data: unknown): boolean;
  readonly errors?: readonly SchemaError[] | null;
}

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
