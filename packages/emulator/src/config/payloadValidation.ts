import { Ajv, type SchemaObject } from "ajv";

/** A setting or seed that does not match its schema; the message says where and why. */
export class InvalidPayloadError extends Error {
  override readonly name = "InvalidPayloadError";
}

const ajv = new Ajv({ allErrors: false });

/**
 * Compiles `schema` into a function that returns its input typed as `T`, or throws
 * {@link InvalidPayloadError} naming the offending field (`throttling.limit must be >= 1`).
 */
export function createPayloadValidator<T>(schema: SchemaObject, what: string): (value: unknown) => T {
  const validate = ajv.compile(schema);
  return (value) => {
    if (validate(value)) return value as T;
    throw new InvalidPayloadError(ajv.errorsText(validate.errors, { dataVar: what, separator: "; " }));
  };
}
