// The `cause` a GraphSyncError keeps: a sanitized copy of the original error chain (names,
// redacted messages and stacks, a few safe fields), never the original objects.
import { redact, redactAndTruncate } from "./redaction.js";

const MAX_CAUSE_DEPTH = 4;

/** Codes and ids are short; anything longer is cut (after redaction, so no secret is cut in half). */
const MAX_FIELD_LENGTH = 200;

/** A string field redacted and bounded: a server chooses what it puts in codes and ids. */
export function safeField(value: string | undefined, secrets: readonly string[]): string | undefined {
  return value === undefined ? undefined : redactAndTruncate(String(value), MAX_FIELD_LENGTH, secrets);
}

/** A cause of a GraphSyncError as `toJSON` shows it. */
export interface CauseJson {
  /** The original error's name. */
  name: string;
  /** Its message, redacted. */
  message: string;
  /** Its low-level code (`ECONNRESET`…), when it had one. */
  code?: string | number;
  /** The next cause in the chain. */
  cause?: CauseJson;
}

/** Fields of third-party errors that are safe and useful to keep. */
const safeCauseFields = ["code", "errno", "syscall", "statusCode"] as const;

/**
 * Copies an error into a plain `Error` with the same name, redacted message and stack, and the
 * safe fields above. Third-party errors can hold request objects (with the token or the body that
 * carried the secrets), so they are never kept as they are.
 */
export function sanitizeCause(cause: unknown, secrets: readonly string[], keepAsIs: (cause: unknown) => boolean, depth = 0): Error | undefined {
  if (cause === undefined || cause === null) return undefined;
  // The SDK's own errors are redacted already, and keep their fields.
  if (keepAsIs(cause)) return cause as Error;
  if (depth >= MAX_CAUSE_DEPTH) return undefined;
  try {
    return copyCause(cause, secrets, keepAsIs, depth);
  } catch {
    // A getter that throws, a revoked Proxy, an object without a prototype that String() rejects:
    // the error being built must not fail in turn, so the cause is then only named as unreadable.
    return new Error("(the underlying error could not be read)");
  }
}

function copyCause(cause: unknown, secrets: readonly string[], keepAsIs: (cause: unknown) => boolean, depth: number): Error {
  const source = typeof cause === "object" ? (cause as Record<string, unknown>) : undefined;
  const message = typeof source?.["message"] === "string" ? source["message"] : String(cause);
  const copy = new Error(redact(message, secrets), {
    cause: sanitizeCause(source?.["cause"], secrets, keepAsIs, depth + 1),
  });
  const name = cause instanceof Error ? cause.name : typeof source?.["name"] === "string" ? source["name"] : "Error";
  // Non-enumerable, as on the prototype, so the copy looks like an ordinary error of that name.
  Object.defineProperty(copy, "name", { value: redact(String(name), secrets), enumerable: false, writable: true, configurable: true });
  copy.stack = cause instanceof Error && cause.stack ? redact(cause.stack, secrets) : `${copy.name}: ${copy.message}`;
  for (const field of safeCauseFields) {
    const value = source?.[field];
    if (typeof value === "string" || typeof value === "number") {
      Object.defineProperty(copy, field, { value: typeof value === "string" ? safeField(value, secrets) : value, enumerable: true });
    }
  }
  if (copy.cause === undefined) delete (copy as { cause?: unknown }).cause;
  return copy;
}

/** The cause chain as plain data, for `toJSON`. */
export function describeCause(cause: unknown): CauseJson | undefined {
  if (!(cause instanceof Error)) return undefined;
  const code = (cause as { code?: unknown }).code;
  const inner = cause.cause === undefined ? undefined : describeCause(cause.cause);
  return {
    name: cause.name,
    message: cause.message,
    ...((typeof code === "string" || typeof code === "number") && { code }),
    ...(inner !== undefined && { cause: inner }),
  };
}
