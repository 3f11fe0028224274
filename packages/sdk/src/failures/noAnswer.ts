// Attempts that got no HTTP answer (network, timeout, abort): sorted here by what is known of them
// (which signal fired, whether the request was written, the low-level code), worded in
// noAnswerAdvice.ts. Whether such an attempt is sent again is the retry decision's (retry/retryDecision.ts).
import { hostOf } from "../clouds.js";
import { TRANSPORT_FACTS } from "../constants.js";
import { GraphSyncError, isGraphSyncError } from "../errors/graphSyncError.js";
import type { CallFacts, TransportFacts } from "./callFacts.js";
import { CALLER_ABORTED, deadlinePassed, noAnswerAdvice, NOT_RETRIED_EXPLANATION } from "./noAnswerAdvice.js";

/**
 * Why an attempt produced no HTTP answer.
 *
 * - `connect`: no connection (refused, unknown host…): nothing was sent.
 * - `not-written`: the connection broke before the request was written to it (a keep-alive
 *   connection closed as idle just as the call picked it): nothing was sent.
 * - `reset`: the peer reset the connection after the request was written, before any answer.
 * - `closed`: the peer closed the connection after the request was written, before any answer.
 * - `tls`: the TLS handshake failed: nothing was sent.
 * - `network`: anything else; assumed to have happened after sending.
 * - `aborted`, `deadline`, `attempt-timeout`: the caller's signal, the call's or the attempt's time limit.
 */
export type AttemptFailureReason = "aborted" | "deadline" | "attempt-timeout" | "connect" | "not-written" | "reset" | "closed" | "tls" | "network";

/** An attempt that got no HTTP answer, and whether the request may have reached Graph. */
export class AttemptFailure extends Error {
  /** Names the class in a cause chain, where only names and messages are kept. */
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
}

/** Codes of failures to establish a connection: the request was never written. */
const connectCodes: ReadonlySet<string> = new Set(["ECONNREFUSED", "ENOTFOUND", "EAI_AGAIN", "EHOSTUNREACH", "ENETUNREACH", "EADDRNOTAVAIL", "UND_ERR_CONNECT_TIMEOUT"]);

/** The peer reset the connection (or it was gone when written): the kernel's answer to bytes nobody read. */
const resetCodes: ReadonlySet<string> = new Set(["ECONNRESET", "EPIPE"]);

/** The peer ended the connection in order (undici's "other side closed"). */
const closedCodes: ReadonlySet<string> = new Set(["UND_ERR_SOCKET"]);

/** True for a failure to connect at all (refused, unknown host, unreachable network). */
export function isConnectCode(code: string): boolean {
  return connectCodes.has(code);
}

/** True for TLS failures (untrusted or invalid certificates, handshake errors). */
export function isTlsCode(code: string): boolean {
  return /^(ERR_TLS_|ERR_SSL_|CERT_|UNABLE_TO_)|SELF_SIGNED|HOSTNAME_MISMATCH|CERT|SSL|TLS/.test(code);
}

/** Which of the call's limits fired, as the attempt saw it. */
export interface AbortState {
  /** The caller's `abortSignal` fired. */
  callerAborted: boolean;
  /** The call's overall time ran out. */
  deadlineExceeded: boolean;
  /** The attempt's own time limit ran out. */
  attemptTimedOut: boolean;
}

/**
 * Turns whatever `fetch` threw into an {@link AttemptFailure}. Which signal fired decides between
 * abort and timeouts; then whether the transport wrote the request; then the error codes in the
 * cause chain. An unknown failure is assumed to have happened after sending: the safe assumption
 * for a request that must not run twice.
 */
export function classifyFetchFailure(error: unknown, state: AbortState): AttemptFailure {
  if (error instanceof AttemptFailure) return error;
  const code = findErrorCode(error);
  // The caller's abort wins over timeouts that may have fired in the same tick.
  if (state.callerAborted) return new AttemptFailure("aborted", true, code, { cause: error });
  if (state.deadlineExceeded) return new AttemptFailure("deadline", true, code, { cause: error });
  if (state.attemptTimedOut) return new AttemptFailure("attempt-timeout", true, code, { cause: error });
  if (code !== undefined && connectCodes.has(code)) return new AttemptFailure("connect", false, code, { cause: error });
  if (code !== undefined && isTlsCode(code)) return new AttemptFailure("tls", false, code, { cause: error });
  const facts = transportFacts(error);
  if (facts?.written === false) return new AttemptFailure("not-written", false, code, { cause: error });
  if (facts?.peerClosed) return new AttemptFailure("closed", true, code, { cause: error });
  if (code !== undefined && resetCodes.has(code)) return new AttemptFailure("reset", true, code, { cause: error });
  if (code !== undefined && closedCodes.has(code)) return new AttemptFailure("closed", true, code, { cause: error });
  return new AttemptFailure("network", true, code, { cause: error });
}

/**
 * Aborted between attempts (waiting to retry, or at the throttle gate): the last attempt got a
 * definite answer or none that may be resent, so nothing is in flight.
 */
export function abortedBetweenAttempts(error: unknown, state: { readonly callerSignal: AbortSignal | undefined; readonly deadlineExceeded: boolean }): AttemptFailure {
  const failure = classifyFetchFailure(error, { callerAborted: state.callerSignal?.aborted ?? false, deadlineExceeded: state.deadlineExceeded, attemptTimedOut: false });
  return new AttemptFailure(failure.reason, false, undefined, { cause: error });
}

function transportFacts(error: unknown): TransportFacts | undefined {
  if (typeof error !== "object" || error === null) return undefined;
  try {
    const facts = (error as { [TRANSPORT_FACTS]?: unknown })[TRANSPORT_FACTS];
    return typeof facts === "object" && facts !== null ? (facts as TransportFacts) : undefined;
  } catch {
    return undefined;
  }
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

/** "The call was aborted … while <phase>". */
export function abortedWhile(phase: string): string {
  return `${CALLER_ABORTED} while ${phase}`;
}

/** "The call did not finish within … while <phase>". */
export function deadlineWhile(timeoutInMs: number, phase: string): string {
  return `${deadlinePassed(timeoutInMs)} while ${phase}`;
}

/** The error for a call whose caller's signal had fired before it started. */
export function abortedBeforeSending(clientRequestId: string, reason: unknown, secrets: readonly string[]): GraphSyncError {
  return new GraphSyncError(`${CALLER_ABORTED} before a request was sent.`, { kind: "aborted", code: "Aborted", clientRequestId, cause: reason, secrets });
}

/**
 * The single place where anything a call can throw becomes a GraphSyncError: errors the SDK
 * already built (validation, configuration, Graph's error answers, token failures), attempts that
 * got no answer, and anything else.
 */
export function toGraphSyncError(error: unknown, context: CallFacts): GraphSyncError {
  if (isGraphSyncError(error)) return error;
  if (error instanceof AttemptFailure) return attemptFailureToError(error, context);
  const lastStatus = context.statuses.at(-1);
  return new GraphSyncError(noAnswerAdvice.unexpected(error instanceof Error ? error.message : String(error), context.call.clientRequestId), {
    kind: "unexpected",
    code: "Unexpected",
    status: lastStatus,
    attempts: context.attempts,
    clientRequestId: context.call.clientRequestId,
    // An answer arrived (or none was sent): a failure after a 2xx means Graph did the work.
    mayHaveBeenProcessed: lastStatus !== undefined,
    cause: error,
    secrets: context.call.secrets,
  });
}

/** The error for an attempt that produced no HTTP answer (see AttemptFailure). */
export function attemptFailureToError(failure: AttemptFailure, context: CallFacts): GraphSyncError {
  const host = hostOf(context.settings.graphUrl) ?? context.settings.graphUrl;
  const sent = failure.requestMayHaveBeenSent;
  const afterSending = sent ? ` ${NOT_RETRIED_EXPLANATION}` : "";
  const lastStatus = context.statuses.at(-1);
  const notInFlight =
    context.attempts === 0 || lastStatus === undefined
      ? " before a request was sent."
      : ` between attempts, with no request in flight (the last answer was ${lastStatus}, so Graph did not carry out the call).`;
  const common = {
    attempts: context.attempts,
    clientRequestId: context.call.clientRequestId,
    mayHaveBeenProcessed: sent,
    code: failure.errorCode,
    cause: failure.cause,
    secrets: context.call.secrets,
    kind: "network" as const,
  };
  const { attempts } = context;
  switch (failure.reason) {
    case "aborted":
      return new GraphSyncError(`${CALLER_ABORTED}${sent ? " while the request was in flight." : notInFlight}${afterSending}`, { ...common, kind: "aborted", code: "Aborted" });
    case "deadline":
      return new GraphSyncError(`${deadlinePassed(context.limits.timeoutInMs)}${sent ? `.${afterSending}` : `; it ran out${notInFlight}`}`, {
        ...common,
        kind: "timeout",
        code: "Timeout",
      });
    case "attempt-timeout":
      return new GraphSyncError(`${noAnswerAdvice.attemptTimeout(host, context.limits.attemptTimeoutInMs)}${afterSending}`, { ...common, kind: "timeout", code: "AttemptTimeout" });
    case "connect":
      return new GraphSyncError(noAnswerAdvice.connect(host, failure.errorCode, attempts), common);
    case "not-written":
      return new GraphSyncError(noAnswerAdvice.notWritten(host, failure.errorCode, attempts), common);
    case "reset":
      return new GraphSyncError(noAnswerAdvice.reset(host, failure.errorCode, attempts), common);
    case "tls":
      return new GraphSyncError(noAnswerAdvice.tls(host, failure.errorCode), { ...common, reason: "tls" });
    case "closed":
    case "network":
      return new GraphSyncError(`${noAnswerAdvice.network(host, failure.errorCode ?? describeCause(failure.cause))}${afterSending}`, common);
  }
}

function describeCause(cause: unknown): string {
  return cause instanceof Error ? cause.message : "no answer";
}
