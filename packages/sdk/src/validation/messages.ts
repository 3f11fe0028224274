// How validation words its problems: the error that lists them (one error for both arguments of a
// call: a caller who got the target and the credentials wrong reads both problems at once, rather
// than fixing one, running again and meeting the other), the path and type of a value (never the
// value itself), and "did you mean" hints for names.
import { distance } from "fastest-levenshtein";
import { GraphSyncError, type ValidationIssue } from "../errors/graphSyncError.js";
import type { SchemaError } from "./schemas.js";

/** "null", "array", or the `typeof` of a value: for messages that must not show the value itself. */
export function describeType(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "an array";
  return typeof value === "object" ? "an object" : `a ${typeof value}`;
}

/** Turns an ajv instance path (`/0/key`) into the path a caller recognises (`credentials[0].key`). */
export function toDisplayPath(root: string, instancePath: string): string {
  if (instancePath === "") return root;
  return instancePath
    .split("/")
    .slice(1)
    .map((segment) => segment.replace(/~1/g, "/").replace(/~0/g, "~"))
    .reduce((path, segment) => (/^\d+$/.test(segment) ? `${path}[${segment}]` : `${path}.${segment}`), root);
}

/** The value an ajv error points at, to report its type. */
export function valueAt(data: unknown, error: SchemaError): unknown {
  return error.instancePath
    .split("/")
    .slice(1)
    .reduce<unknown>(
      (value, segment) =>
        typeof value === "object" && value !== null
          ? (value as Record<string, unknown>)[segment.replace(/~1/g, "/").replace(/~0/g, "~")]
          : undefined,
      data,
    );
}

/**
 * How many problems one error lists. Enough for any honest mistake (a valid input has at most 45
 * entries); a generated or wrong input could otherwise produce an error of megabytes.
 */
export const MAX_REPORTED_ISSUES = 20;

/**
 * The validation error for a list of issues: every problem at once, so one fix round suffices, up
 * to MAX_REPORTED_ISSUES; beyond that a last issue says how many more there are. `moreIssues`
 * counts problems a caller found but did not describe (to keep describing them cheap).
 */
export function validationError(subject: string, allIssues: readonly ValidationIssue[], moreIssues = 0): GraphSyncError {
  const notListed = Math.max(0, allIssues.length - MAX_REPORTED_ISSUES) + moreIssues;
  const issues =
    notListed === 0
      ? allIssues
      : [
          ...allIssues.slice(0, MAX_REPORTED_ISSUES),
          { path: subject, message: `${notListed} more problem${notListed === 1 ? "" : "s"} not listed; fix these first` },
        ];
  const lines = issues.map((issue) => `  - ${issue.path}: ${issue.message}`).join("\n");
  return new GraphSyncError(`Invalid ${subject}; nothing was sent to Graph:\n${lines}`, {
    kind: "validation",
    code: "InvalidInput",
    issues,
  });
}

/** The longest synchronization secret key has 31 characters; a typo of one is not much longer. */
const MAX_COMPARED_LENGTH = 64;

/**
 * The candidate closest to `name`, for "did you mean" hints: a case-insensitive match first
 * (`oauth2authorizationcode`), then the smallest edit distance if it is small enough to be a typo
 * rather than a different word.
 */
export function closestMatch(name: string, candidates: readonly string[]): string | undefined {
  // Far longer than any candidate is no typo of one; and the edit distance costs length × length.
  if (name.length > MAX_COMPARED_LENGTH) return undefined;
  const lower = name.toLowerCase();
  const sameLetters = candidates.find((candidate) => candidate.toLowerCase() === lower);
  if (sameLetters !== undefined) return sameLetters;
  let best: string | undefined;
  let bestDistance = Number.POSITIVE_INFINITY;
  for (const candidate of candidates) {
    const d = distance(lower, candidate.toLowerCase());
    if (d < bestDistance) {
      best = candidate;
      bestDistance = d;
    }
  }
  const tolerance = Math.max(2, Math.floor(name.length / 3));
  return bestDistance <= tolerance ? best : undefined;
}

/**
 * `name` as it may be shown in a message: only when it is one of the candidates or a typo of one.
 * Anything else the caller typed where a name was expected might be a secret put in the wrong
 * place (a code pasted as a key name, a command, an option), so it is not echoed.
 */
export function showableName(name: string, candidates: readonly string[]): string | undefined {
  return candidates.includes(name) || closestMatch(name, candidates) !== undefined ? name : undefined;
}

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
