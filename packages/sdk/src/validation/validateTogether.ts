// A call has two arguments to check (the target and the credentials); a caller who got both wrong
// should read both problems in one error, not fix one, run again and meet the other.
import { GraphSyncError, type ValidationIssue } from "../errors/graphSyncError.js";

/**
 * Runs both checks, the second also when the first fails validation, and returns both results.
 * When one check fails validation, its error is thrown as it is; when both do, one `validation`
 * error lists the problems of both (each check's list is bounded on its own). Any other error of
 * the first check (a usage error, a bug) is thrown at once, before the second runs: the second may
 * read stdin, which must not wait for a user when the command line is wrong anyway. When the first
 * fails validation and the second fails otherwise, the first's error is thrown.
 */
export async function validateTogether<A, B>(first: () => A | Promise<A>, second: () => B | Promise<B>): Promise<[A, B]> {
  let firstValue: A;
  let firstError: GraphSyncError | undefined;
  try {
    const result = first();
    firstValue = isThenable(result) ? await result : result;
  } catch (error) {
    if (!isValidationError(error)) throw error;
    firstError = error;
  }
  let secondValue: B;
  try {
    const result = second();
    secondValue = isThenable(result) ? await result : result;
  } catch (error) {
    // A failure of another kind after a validation failure (no credentials given at all): the first
    // problem is reported, as if the checks ran one after the other.
    if (firstError) throw isValidationError(error) ? combinedValidationError(firstError, error) : firstError;
    throw error;
  }
  if (firstError) throw firstError;
  return [firstValue!, secondValue];
}

/**
 * The SDK's own checks are synchronous; only the CLI's reading of stdin returns a promise. A value
 * is used as it is: awaiting it would cost each call a needless turn of the microtask queue.
 */
function isThenable<T>(value: T | PromiseLike<T>): value is PromiseLike<T> {
  return typeof (value as { then?: unknown } | null | undefined)?.then === "function";
}

function isValidationError(error: unknown): error is GraphSyncError {
  return error instanceof GraphSyncError && error.kind === "validation" && error.issues.length > 0;
}

/** "Invalid target and credentials; nothing was sent to Graph:" with every issue of both, in order. */
function combinedValidationError(first: GraphSyncError, second: GraphSyncError): GraphSyncError {
  const issues: ValidationIssue[] = [...first.issues, ...second.issues];
  const subjects = [subjectOf(first), subjectOf(second)].join(" and ");
  const lines = issues.map((issue) => `  - ${issue.path}: ${issue.message}`).join("\n");
  return new GraphSyncError(`Invalid ${subjects}; nothing was sent to Graph:\n${lines}`, { kind: "validation", code: "InvalidInput", issues });
}

/** What an error says was invalid: the root of its issues' paths ("target", "credentials"). */
function subjectOf(error: GraphSyncError): string {
  return error.issues[0]?.path.split(/[.[]/)[0] ?? "input";
}
