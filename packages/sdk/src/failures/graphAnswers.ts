// Graph's error answers as GraphSyncErrors: the status and Graph's error envelope decide the kind;
// what to do about each is worded in graphAdvice.ts.
import { HeaderNames } from "../constants.js";
import { GraphSyncError, type GraphSyncErrorKind } from "../errors/graphSyncError.js";
import { redactAndTruncate } from "../errors/redaction.js";
import { parseRetryAfter } from "../retry/retryDecision.js";
import type { CallFacts } from "./callFacts.js";
import { adviceFor, isHtml } from "./graphAdvice.js";

/**
 * What the synchronization service answers (reported on its sibling endpoints, jobs/{id}/restart
 * and templates) when Graph accepted the token but the caller's permission, role or ownership does
 * not allow the call: 401 with this code and an empty message, not Graph's 403.
 */
const SYNCHRONIZATION_DENIAL_CODE = "UnknownError";

/** Graph's message can be long (stack-like traces from some services); messages stay readable. */
const MAX_GRAPH_MESSAGE_LENGTH = 500;
/** Graph's codes are identifiers (`Authorization_RequestDenied`); a longer one is not Graph's. */
const MAX_GRAPH_CODE_LENGTH = 100;

/** An HTTP answer as the transport read it: all that is needed to report it should it not be a success. */
export interface GraphAnswer {
  /** The HTTP status. */
  readonly status: number;
  /** The status line's reason phrase, as sent (may be empty). */
  readonly statusText: string;
  /** The response headers; the error reads request-id, Date, Retry-After, WWW-Authenticate, Location and Graph's throttle headers. */
  readonly headers: Headers;
  /**
   * Graph's error envelope (`{"error": {"code", "message", "innerError"}}`) as JSON text, for a 4xx
   * or 5xx: the client's ErrorBodyHandler makes one of any body (empty, HTML, broken JSON).
   */
  readonly envelope: string | undefined;
  /** When the error body was longer than the SDK reads, the byte limit at which it was cut off. */
  readonly bodyCutAtBytes: number | undefined;
}

/**
 * Builds the error for an HTTP answer that was not a success: the status and headers as Graph sent
 * them, and Graph's error envelope, parsed here and nowhere else.
 */
export function responseToError(response: GraphAnswer, context: CallFacts): GraphSyncError {
  const { secrets } = context.call;
  const status = response.status;
  const main = readGraphError(response.envelope);
  // What the server wrote is redacted before it is shortened (a cut secret would no longer be found).
  const code = main?.code ? redactAndTruncate(main.code, MAX_GRAPH_CODE_LENGTH, secrets) : undefined;
  const trimmedMessage = main?.message?.trim();
  const graphMessage = trimmedMessage ? redactAndTruncate(trimmedMessage, MAX_GRAPH_MESSAGE_LENGTH, secrets) : undefined;
  // ErrorBodyHandler gives even an empty or HTML body Graph's envelope, so `code` is nearly always
  // there; the fallback covers answers without one (a redirect).
  const what = code
    ? `${status} ${code}${graphMessage ? `: ${graphMessage}` : ""}${isHtml(response) ? " (an HTML page: a proxy, gateway or firewall may have answered instead of Graph)" : ""}` +
      (response.bodyCutAtBytes !== undefined ? ` (the answer's body was longer than ${formatBytes(response.bodyCutAtBytes)}; only that much was read)` : "")
    : `${status}${response.statusText ? ` ${response.statusText}` : ""}`;
  const retryAfterInMs = parseRetryAfter(response.headers.get(HeaderNames.retryAfter), context.settings.clock.now());
  const kind = kindForAnswer(status, code);
  // Attempts that were retried although Graph may have carried them out: a 504, a reset before any answer.
  const earlierUncertain = context.statuses.slice(0, -1).includes(504)
    ? "ended with 504 Gateway Timeout"
    : context.resetsRetried > 0
      ? "lost its connection to a reset before any answer"
      : undefined;
  const earlierMayHaveRun = earlierUncertain !== undefined && status >= 400 && status < 500 && status !== 429;
  const message =
    adviceFor(kind, status, what, response, context, retryAfterInMs) +
    (earlierMayHaveRun
      ? ` Note: an earlier attempt of this call ${earlierUncertain} and was retried; Graph may have carried out that attempt (redeeming the authorization code), which would explain this error. Check whether provisioning is authorized before getting a new code.`
      : "");
  return new GraphSyncError(message, {
    kind,
    status,
    code: code ?? `Http${status}`,
    requestId: response.headers.get(HeaderNames.requestId) ?? main?.requestId,
    clientRequestId: response.headers.get(HeaderNames.clientRequestId) ?? main?.clientRequestId ?? context.call.clientRequestId,
    // The Date header is unambiguous (RFC 9110); innerError.date may have no time zone (then it is
    // read as local time), so it is only the fallback.
    date: parseDate(response.headers.get(HeaderNames.date)) ?? parseDate(main?.date ?? null),
    retryAfterInMs,
    attempts: context.attempts,
    mayHaveBeenProcessed: earlierMayHaveRun,
    // Graph's error as a real Error, with its gist.
    cause: main ? Object.assign(new Error(graphMessage ?? what), { name: "ODataError", code }) : undefined,
    secrets,
  });
}

/** What Graph's error envelope says, as far as the SDK reads it. */
interface GraphError {
  readonly code: string | undefined;
  readonly message: string | undefined;
  readonly requestId: string | undefined;
  readonly clientRequestId: string | undefined;
  readonly date: string | undefined;
}

/** Reads `{"error": {"code", "message", "innerError": {"request-id", "client-request-id", "date"}}}`; fields of another type are ignored. */
function readGraphError(envelope: string | undefined): GraphError | undefined {
  if (envelope === undefined) return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(envelope);
  } catch {
    return undefined;
  }
  const main = objectAt(parsed, "error");
  if (main === undefined) return undefined;
  const inner = objectAt(main, "innerError");
  return {
    code: stringAt(main, "code"),
    message: stringAt(main, "message"),
    requestId: stringAt(inner, "request-id"),
    clientRequestId: stringAt(inner, "client-request-id"),
    date: stringAt(inner, "date"),
  };
}

function objectAt(value: unknown, key: string): Record<string, unknown> | undefined {
  if (typeof value !== "object" || value === null || !Object.hasOwn(value, key)) return undefined;
  const child = (value as Record<string, unknown>)[key];
  return typeof child === "object" && child !== null && !Array.isArray(child) ? (child as Record<string, unknown>) : undefined;
}

function stringAt(value: Record<string, unknown> | undefined, key: string): string | undefined {
  const child = value !== undefined && Object.hasOwn(value, key) ? value[key] : undefined;
  return typeof child === "string" ? child : undefined;
}

/**
 * A 401 UnknownError is reported as `permission`: Graph's gateway, which checks tokens, answers
 * InvalidAuthenticationToken when it does not accept one, so the likelier cause is the permission.
 */
function kindForAnswer(status: number, code: string | undefined): GraphSyncErrorKind {
  if (status === 401 && code === SYNCHRONIZATION_DENIAL_CODE) return "permission";
  if (status === 401) return "authentication";
  if (status === 403) return "permission";
  if (status === 404) return "not-found";
  if (status === 429) return "throttled";
  if (status >= 500) return "service";
  if (status >= 400) return "bad-request";
  return "unexpected";
}

function parseDate(value: string | null): Date | undefined {
  if (!value) return undefined;
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? undefined : date;
}

function formatBytes(bytes: number): string {
  return bytes % (1024 * 1024) === 0 ? `${bytes / 1024 / 1024} MiB` : `${bytes} bytes`;
}
