/**
 * Why an attempt produced no HTTP answer, and whether the request may have reached Graph.
 *
 * The distinction matters because this action is not idempotent: Graph redeems the authorization
 * code. If the request may have been sent, a silent retry could turn a success into an
 * `invalid_grant`-style failure, so only failures that happen before anything was sent (refused
 * connection, unknown host) are retried, and resets before any answer (see resetCodes).
 */
export type AttemptFailureReason =
  | "aborted"
  | "deadline"
  | "attempt-timeout"
  | "connect"
  | "reset"
  | "tls"
  | "network";

export class AttemptFailure extends Error {
  override readonly name = "AttemptFailure";

  constructor(
    readonly reason: AttemptFailureReason,
    /** False only when the failure certainly happened before the request left this process. */
    readonly requestMayHaveBeenSent: boolean,
    /** The low-level error code (`ECONNREFUSED`…), when there is one. */
    readonly errorCode: string | undefined,
    options: { cause?: unknown } = {},
  ) {
    super(`attempt failed: ${reason}${errorCode ? ` (${errorCode})` : ""}`, options);
  }

  /** Refused connections (nothing sent) and resets before any answer (see resetCodes). */
  get retryable(): boolean {
    return this.reason === "connect" || this.reason === "reset";
  }
}

/** Codes of failures to establish a connection: the request was never written. */
const connectCodes = new Set([
  "ECONNREFUSED",
  "ENOTFOUND",
  "EAI_AGAIN",
  "EHOSTUNREACH",
  "ENETUNREACH",
  "EADDRNOTAVAIL",
  "UND_ERR_CONNECT_TIMEOUT",
]);

/**
 * The peer reset the connection (or it was gone when the request was written) before any answer.
 * The usual cause is a keep-alive connection that the server or a proxy closed as idle just as the
 * request went out on it: the server's kernel answers bytes that arrive on a closed socket with a
 * reset, and the server never read them. That cannot be proven from this side (a server may also
 * read a request and then reset), so such an attempt is retried like a 504: a repeated call cannot
 * do anything twice (an authorization code is redeemed once; other secrets would be stored again,
 * the same), and should a later attempt fail with a 4xx, its error says that this one may have
 * been carried out. A connection ended normally after the request (undici's "other side closed",
 * UND_ERR_SOCKET) is what a server that read the request and dropped it looks like: not retried.
 */
const resetCodes = new Set(["ECONNRESET", "EPIPE"]);

function isTlsCode(code: string): boolean {
  return (
    code.startsWith("ERR_TLS_") ||
    code.startsWith("ERR_SSL_") ||
    code.startsWith("CERT_") ||
    code.includes("SELF_SIGNED") ||
    code.startsWith("UNABLE_TO_") ||
    code === "HOSTNAME_MISMATCH"
  );
}

export interface AbortState {
  callerAborted: boolean;
  deadlineExceeded: boolean;
  attemptTimedOut: boolean;
}

/**
 * Turns whatever `fetch` threw into an {@link AttemptFailure}. Which signal fired decides between
 * abort and timeouts; otherwise the error codes in the cause chain decide whether anything was
 * sent. An unknown failure is assumed to have happened after sending: the safe assumption for a
 * request that must not run twice.
 */
export function classifyFetchFailure(error: unknown, state: AbortState): AttemptFailure {
  if (error instanceof AttemptFailure) return error;
  const code = findErrorCode(error);
  // The caller's abort wins over timeouts that may have fired in the same tick.
  if (state.callerAborted) return new AttemptFailure("aborted", true, code, { cause: error });
  if (state.deadlineExceeded) return new AttemptFailure("deadline", true, code, { cause: error });
  if (state.attemptTimedOut) return new AttemptFailure("attempt-timeout", true, code, { cause: error });
  if (code !== undefined && connectCodes.has(code)) return new AttemptFailure("connect", false, code, { cause: error });
  if (code !== undefined && resetCodes.has(code)) return new AttemptFailure("reset", true, code, { cause: error });
  if (code !== undefined && isTlsCode(code)) return new AttemptFailure("tls", false, code, { cause: error });
  return new AttemptFailure("network", true, code, { cause: error });
}

/** The first `code` found in an error, its cause chain, or the errors of an AggregateError. */
export function findErrorCode(error: unknown, depth = 0): string | undefined {
  if (depth > 5 || typeof error !== "object" || error === null) return undefined;
  let fields: { code?: unknown; cause?: unknown; errors?: unknown };
  try {
    // Read once: a thrown value may be a Proxy or have getters that throw.
    const { code, cause, errors } = error as typeof fields;
    fields = { code, cause, errors: Array.isArray(errors) ? errors.slice(0, 10) : undefined };
  } catch {
    return undefined;
  }
  const { code, cause, errors } = fields;
  if (typeof code === "string" && code !== "") return code;
  const fromCause = findErrorCode(cause, depth + 1);
  if (fromCause !== undefined) return fromCause;
  if (Array.isArray(errors)) {
    for (const inner of errors) {
      const found = findErrorCode(inner, depth + 1);
      if (found !== undefined) return found;
    }
  }
  return undefined;
}
