/**
 * A problem with the description update-spec was given (or could not fetch). Its message names the
 * problem and what to do; update-spec prints it and writes nothing.
 */
export class SpecInputError extends Error {
  override readonly name = "SpecInputError";
}
