import { Ajv, type SchemaObject, type ValidateFunction } from "ajv";

/** A setting or seed that does not match its schema; the message says where and why. */
export class InvalidPayloadError extends Error {
  override readonly name = "InvalidPayloadError";
}

// The schemas are this package's own constants, checked by ajv's strict mode as they compile and by
// the tests; validating them against the JSON Schema meta-schema as well would only compile that
// meta-schema at every start.
const ajv = new Ajv({ allErrors: false, validateSchema: false });

/**
 * Returns a function that returns its input typed as `T`, or throws {@link InvalidPayloadError}
 * naming the offending field (`throttling.limit must be >= 1`). The schema is compiled on first use,
 * so that loading a module that declares a validator costs nothing at start-up.
 */
export function createPayloadValidator<T>(schema: SchemaObject, what: string): (value: unknown) => T {
  let validate: ValidateFunction | undefined;
  return (value) => {
    validate ??= ajv.compile(schema);
    if (validate(value)) return value as T;
    throw new InvalidPayloadError(ajv.errorsText(validate.errors, { dataVar: what, separator: "; " }));
  };
}
