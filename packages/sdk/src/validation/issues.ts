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
