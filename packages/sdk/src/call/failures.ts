// Everything that turns a failed call into a GraphSyncError, in one place: an attempt that got no
// answer (and whether the request may have reached Graph), Graph's error answers, the credential's
// failures (Entra ID's AADSTS codes), and anything else a call throws. Each message says what
// happened and what to do.
import { hostOf, isKnownAuthorityHost } from "../clouds.js";
import { HeaderNames } from "../constants.js";
import { GraphSyncError, isGraphSyncError, type GraphSyncErrorKind } from "../errors/graphSyncError.js";
import { redactAndTruncate } from "../errors/redaction.js";
import { formatSeconds, parseRetryAfter } from "../retry/retryPolicy.js";
import { describeTarget, type ResolvedTarget } from "../validation/validateTarget.js";
import type { CallContext } from "./callContext.js";

/**
 * The single place where anything a call can throw becomes a GraphSyncError: errors the SDK
 * already built (validation, configuration, Graph's error answers, token failures), attempts that
 * got no answer, and anything else.
 */
export function toGraphSyncError(error: unknown, context: CallContext): GraphSyncError {
  if (isGraphSyncError(error)) return error;
  if (error instanceof AttemptFailure) return attemptFailureToError(error, context);
  const lastStatus = context.statuses.at(-1);
  const message = error instanceof Error ? error.message : String(error);
  return new GraphSyncError(
    `The call failed unexpectedly: ${message}. If this keeps happening, report it with the client-request-id ${context.call.clientRequestId}.`,
    {
      kind: "unexpected",
      code: "Unexpected",
      status: lastStatus,
      attempts: context.attempts,
      clientRequestId: context.call.clientRequestId,
      // An answer arrived (or none was sent): a failure after a 2xx means Graph did the work.
      mayHaveBeenProcessed: lastStatus !== undefined,
      cause: error,
      secrets: context.call.secrets,
    },
  );
}

// ─── Attempts that got no HTTP answer ───────────────────────────────────────────────────────────

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

/**
 * The explanation every error gets when a request may have reached Graph but no answer came back.
 * Shared so the wording (and the advice) is the same for timeouts, aborts and broken connections.
 */
export const NOT_RETRIED_EXPLANATION =
  "The request had already been sent, so Graph may have carried it out. The SDK does not retry such a " +
  "request automatically: an authorization code can be redeemed only once, and a blind retry would turn " +
  "a success into a confusing 'code already redeemed' failure. Check whether provisioning is now " +
  "authorized (for example with Test Connection in the Microsoft Entra admin center) before calling " +
  "again with a new authorization code.";

/** The caller's abort and the call's deadline, worded once for every phase of a call. */
const CALLER_ABORTED = "The call was aborted by the caller's abortSignal";

function deadlinePassed(timeoutInMs: number): string {
  return `The call did not finish within its timeout of ${timeoutInMs} ms (timeoutInMs)`;
}

/** The error for a call whose caller's signal had fired before it started. */
export function abortedBeforeSending(clientRequestId: string, reason: unknown, secrets: readonly string[]): GraphSyncError {
  return new GraphSyncError(`${CALLER_ABORTED} before a request was sent.`, { kind: "aborted", code: "Aborted", clientRequestId, cause: reason, secrets });
}

/** The error for an attempt that produced no HTTP answer (see AttemptFailure). */
export function attemptFailureToError(failure: AttemptFailure, context: CallContext): GraphSyncError {
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
  };
  switch (failure.reason) {
    case "aborted":
      return new GraphSyncError(
        `${CALLER_ABORTED}${sent ? " while the request was in flight." : notInFlight}${afterSending}`,
        { ...common, kind: "aborted", code: "Aborted" },
      );
    case "deadline":
      return new GraphSyncError(
        `${deadlinePassed(context.limits.timeoutInMs)}${sent ? `.${afterSending}` : `; it ran out${notInFlight}`}`,
        { ...common, kind: "timeout", code: "Timeout" },
      );
    case "attempt-timeout":
      return new GraphSyncError(
        `Graph (${host}) did not answer within ${context.limits.attemptTimeoutInMs} ms (attemptTimeoutInMs).${afterSending}`,
        { ...common, kind: "timeout", code: "AttemptTimeout" },
      );
    case "connect":
      return new GraphSyncError(
        `Could not connect to Graph at ${host} (${failure.errorCode ?? "connection failed"}) after ${context.attempts} ` +
          `attempt${context.attempts === 1 ? "" : "s"}. Nothing was sent. Check the network, any proxy, and baseUrl if you set one.`,
        { ...common, kind: "network" },
      );
    case "reset":
      return new GraphSyncError(
        `The connection to Graph at ${host} was reset before any answer (${failure.errorCode})` +
          (context.attempts > 1 ? ` on all ${context.attempts} attempts` : "") +
          ". A reset usually means a connection that Graph or a proxy closed as idle just as the request went out, " +
          "which Graph never read (the SDK retries those); but a server that read the request and then reset looks " +
          "the same from here, so Graph may have carried out the call. Check whether provisioning is now authorized " +
          "(for example with Test Connection in the Microsoft Entra admin center) before calling again with a new authorization code.",
        { ...common, kind: "network" },
      );
    case "tls":
      return new GraphSyncError(
        `The TLS handshake with ${host} failed (${failure.errorCode}). Nothing was sent. If Graph is reached through a ` +
          "proxy or an emulator with its own certificate authority, make Node trust it (NODE_EXTRA_CA_CERTS=<ca.pem>).",
        { ...common, kind: "network" },
      );
    case "network":
      return new GraphSyncError(
        `The connection to Graph at ${host} failed (${failure.errorCode ?? describeCause(failure.cause)}).${afterSending}`,
        { ...common, kind: "network" },
      );
  }
}

function describeCause(cause: unknown): string {
  return cause instanceof Error ? cause.message : "no answer";
}

// ─── Graph's error answers ──────────────────────────────────────────────────────────────────────

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
  readonly status: number;
  readonly statusText: string;
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
export function responseToError(response: GraphAnswer, context: CallContext): GraphSyncError {
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

function adviceFor(
  kind: GraphSyncErrorKind,
  status: number,
  what: string,
  response: GraphAnswer,
  context: CallContext,
  retryAfterInMs: number | undefined,
): string {
  const target = describeTarget(context.call.target);
  switch (kind) {
    case "authentication": {
      const audience = context.settings.cloud.scope.replace(/\/\.default$/, "");
      const challenge = readChallengeDescription(response.headers.get(HeaderNames.wwwAuthenticate));
      return (
        `Graph did not accept the access token (${what})${challenge ? ` [${challenge}]` : ""}. ` +
        `The credential must get a token (an app's, or a signed-in user's) for the scope ${context.settings.cloud.scope} (audience ${audience}, cloud "${context.settings.cloud.name}") ` +
        `from the tenant that owns the ${target}. Check that the cloud matches your tenant, that the token has not expired, ` +
        "and that the clock of this machine is right."
      );
    }
    case "permission":
      if (status === 401) {
        return (
          `The synchronization service refused the call for ${target} (${what}). ` +
          "This answer (401 UnknownError with an empty message) has two possible causes: most often the caller's permission, " +
          "role or ownership does not allow the call (users report the service answering so instead of 403); less often the token itself " +
          `was not accepted (check that it is for ${context.settings.cloud.scope} in the tenant of the ${target}, and not expired). ` +
          requiredAccessAdvice(context.call.target)
        );
      }
      return `Graph denied access to the synchronization of ${target} (${what}). ${requiredAccessAdvice(context.call.target)}`;
    case "not-found":
      return context.call.target.kind === "servicePrincipal"
        ? `No service principal with the id ${context.call.target.id} was found (${what}). servicePrincipalId must be the ` +
            "object id of the service principal (Enterprise applications → Object ID), not the application's client id " +
            "or object id; for an app registration pass { applicationId } instead. Check also that it belongs to the " +
            "tenant your credential signs in to."
        : `No application with the id ${context.call.target.id} was found (${what}). applicationId must be the object id of ` +
            "the app registration (App registrations → Object ID), not its Application (client) ID; for an enterprise " +
            "application pass { servicePrincipalId } instead. Check also that it belongs to the tenant your credential signs in to.";
    case "throttled":
      return (
        `Graph is throttling requests (${what}) and still was after ${context.attempts} attempt${context.attempts === 1 ? "" : "s"}` +
        (retryAfterInMs === undefined ? "" : `; it asked to wait ${formatSeconds(retryAfterInMs)}`) +
        `. ${throttledLimit(response)}Identity and access limits apply per app and tenant: slow down, and try again after that wait ` +
        "(raise retry.maxRetries or timeoutInMs to let the SDK wait longer)."
      );
    case "service":
      return (
        `Graph failed to process the request for ${target} (${what})` +
        (context.attempts > 1 ? ` on all ${context.attempts} attempts` : "") +
        ". This is usually temporary: try again later. If it persists, contact Microsoft support with the request-id" +
        `${response.headers.get(HeaderNames.requestId) ? ` ${response.headers.get(HeaderNames.requestId)}` : ""}.`
      );
    case "bad-request":
      return (
        `Graph rejected the request for ${target} (${what}). Check the credentials: an Oauth2AuthorizationCode ` +
        "can be redeemed only once and expires within minutes, so get a fresh one from the target application; " +
        "Oauth2RedirectUri must be the redirect URI it was issued for, and the other keys must match what the target expects."
      );
    default: {
      const location = response.headers.get(HeaderNames.location);
      return status >= 300 && status < 400
        ? `Graph answered ${status} redirecting to ${location ? (hostOf(location) ?? "an invalid location") : "an unspecified location"}; the SDK does not follow redirects for this ` +
            "action because it would resend the secrets. Check baseUrl: it must be Graph's own URL (or your proxy's)."
        : `Graph answered with an unexpected status (${what}).`;
    }
  }
}

/**
 * Which limit Graph says was exceeded (`x-ms-throttle-information`, `x-ms-throttle-scope`), in words:
 * the write quota is far smaller than the resource-unit limit, and waits differ accordingly.
 */
function throttledLimit(response: GraphAnswer): string {
  const information = response.headers.get(HeaderNames.throttleInformation);
  const scope = response.headers.get(HeaderNames.throttleScope);
  const limit =
    information === "WriteLimitExceeded"
      ? "the write quota (3,000 writes per 2 min 30 s for a small tenant; every acquireAccessToken is a write)"
      : information === "ResourceUnitLimitExceeded"
        ? "the resource-unit limit"
        : undefined;
  if (!limit) return "";
  return `Graph says the app ran into ${limit}${scope ? ` (scope ${scope.split("/").slice(0, 2).join("/")})` : ""}. `;
}

function isHtml(response: GraphAnswer): boolean {
  return /^text\/html\b/i.test(response.headers.get(HeaderNames.contentType) ?? "");
}

/** `error_description` of a `WWW-Authenticate: Bearer …` challenge, which often says what is wrong. */
function readChallengeDescription(header: string | null): string | undefined {
  if (!header) return undefined;
  return /error_description="([^"]*)"/i.exec(header)?.[1] || undefined;
}

function parseDate(value: string | null): Date | undefined {
  if (!value) return undefined;
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? undefined : date;
}

function formatBytes(bytes: number): string {
  return bytes % (1024 * 1024) === 0 ? `${bytes / 1024 / 1024} MiB` : `${bytes} bytes`;
}


/**
 * Who may call acquireAccessToken, least privileged first, as one paragraph for error messages.
 *
 * From the action's page, as it is now and as it was: an app needs the application permission
 * Application.ReadWrite.OwnedBy (and must own the object addressed: for /servicePrincipals/{id}
 * the service principal itself, owning the app registration is not enough) or
 * Synchronization.ReadWrite.All; the older page listed Directory.ReadWrite.All instead, which still
 * works but grants far more. A signed-in user needs the delegated Synchronization.ReadWrite.All (or
 * the older Directory.ReadWrite.All) and a directory role: Application Administrator, Cloud
 * Application Administrator, or Hybrid Identity Administrator (for Microsoft Entra Cloud Sync).
 */
export function requiredAccessAdvice(target: ResolvedTarget): string {
  const owned =
    target.kind === "servicePrincipal"
      ? "with the app an owner of the service principal itself (owning its app registration is not enough)"
      : "with the app an owner of the application";
  return (
    "An app needs one Microsoft Graph application permission with admin consent, least privileged first: " +
    `Application.ReadWrite.OwnedBy, ${owned}; Synchronization.ReadWrite.All; or Directory.ReadWrite.All ` +
    "(listed by the older documentation; it grants far more, so prefer Synchronization.ReadWrite.All). " +
    "A signed-in user needs the delegated Synchronization.ReadWrite.All (or Directory.ReadWrite.All) and one of the " +
    "directory roles Application Administrator, Cloud Application Administrator or Hybrid Identity Administrator " +
    "(for Microsoft Entra Cloud Sync); personal Microsoft accounts are not supported. " +
    "After granting, get a new token: a token keeps the permissions and roles it was issued with."
  );
}

// ─── The credential's failures (Entra ID, MSAL, @azure/identity) ────────────────────────────────

const DEVICE_CODE_EXPIRED =
  "The device code expired before the sign-in was completed (codes last 15 minutes): run again and enter the code at the verification page in time.";

/**
 * What to do about the device code flow's OAuth errors. MSAL (and so @azure/identity's
 * DeviceCodeCredential) reports them by their `error` only (`post_request_failed: expired_token`),
 * without Entra's AADSTS description, so they are recognised by name.
 */
const deviceCodeAdvice: Readonly<Record<string, string>> = {
  expired_token: DEVICE_CODE_EXPIRED,
  device_code_expired: DEVICE_CODE_EXPIRED,
  authorization_declined:
    "The sign-in was declined at the verification page: run again and approve it, signed in as a user with an administrator role that allows the call (Application Administrator, Cloud Application Administrator or Hybrid Identity Administrator).",
  slow_down:
    "The token endpoint was polled faster than the interval Entra ID gave with the device code; @azure/identity and MSAL keep to it, so look for a custom poller or a proxy that retries, and wait the interval between polls.",
  bad_verification_code: "Entra ID does not know this device code (another tenant or app, or a mistyped value): start the sign-in again.",
  authorization_pending: "The sign-in at the verification page is not finished: complete it, then poll again after the interval.",
  // Reported without its AADSTS code (7000218) when it ends a device code sign-in.
  invalid_client:
    'The client was not authenticated: for sign-in with a device code, turn on "Allow public client flows" in the app registration (Authentication); for an app, check its client secret or certificate.',
};

/**
 * What to do about the AADSTS codes a client-credentials token request commonly fails with. The
 * codes come from Entra ID's error descriptions (`AADSTS7000215: Invalid client secret…`).
 */
const aadstsAdvice: Readonly<Record<string, string>> = {
  "7000215":
    "The client secret is wrong: use the secret's Value (shown once, when it was created), not its Secret ID (AZURE_CLIENT_SECRET).",
  "7000222": "The client secret has expired: create a new one under App registrations → Certificates & secrets.",
  "7000218":
    "The token request carried no client secret or certificate: set AZURE_CLIENT_SECRET or AZURE_CLIENT_CERTIFICATE_PATH; for sign-in with a device code, turn on \"Allow public client flows\" in the app registration (Authentication).",
  "700016":
    "No application with this client id exists in the tenant: check AZURE_CLIENT_ID and AZURE_TENANT_ID, and that the app is registered in (or consented to by) that tenant.",
  "90002": "The tenant was not found: check AZURE_TENANT_ID and that the authority host belongs to the tenant's cloud.",
  "70011": "The scope is not valid: an app-only token for Graph needs the scope <graph URL>/.default of the tenant's cloud (the cloud option).",
  "500011":
    "Graph is not known in this tenant's cloud: the cloud option and the authority host do not match the tenant (global, usgov, usgov-dod).",
  "700027": "The client certificate assertion was rejected: check that the certificate uploaded to the app registration is the one in AZURE_CLIENT_CERTIFICATE_PATH.",
  "700024": "The client assertion is not within its valid time range: check this machine's clock.",
  "65001":
    "The app has no consent for the delegated permission it asked for: an administrator must grant admin consent for Synchronization.ReadWrite.All (App registrations → API permissions → Grant admin consent).",
  "70019": DEVICE_CODE_EXPIRED,
  "53003": "A Conditional Access policy blocked the token: ask an administrator to review the sign-in logs for this app.",
};

/**
 * Builds the error for a failed `getToken`: from @azure/identity (AuthenticationError with Entra
 * ID's JSON answer, CredentialUnavailableError), MSAL, or any other TokenCredential. The AADSTS code
 * becomes `code` and picks the advice; an abort or the call's deadline is reported as such.
 */
export function tokenFailureToError(error: unknown, context: CallContext | undefined, scopes: string | string[]): GraphSyncError {
  const scope = Array.isArray(scopes) ? scopes.join(" ") : scopes;
  const secrets = context?.call.secrets ?? [];
  const base = { clientRequestId: context?.call.clientRequestId, attempts: context?.attempts ?? 0, cause: error, secrets };
  if (context?.callerSignal?.aborted) {
    return new GraphSyncError(`${CALLER_ABORTED} while getting an access token; nothing was sent to Graph.`, {
      ...base,
      kind: "aborted",
      code: "Aborted",
    });
  }
  if (context?.deadlineExceeded) {
    return new GraphSyncError(
      `${deadlinePassed(context.limits.timeoutInMs)} while getting an access token; nothing was sent to Graph.`,
      { ...base, kind: "timeout", code: "Timeout" },
    );
  }

  const details = readIdentityError(error);
  const aadsts = details.aadsts;
  const lowLevelCode = findErrorCode(error);
  const deviceCodeError = findDeviceCodeError(error);
  let advice: string;
  if (aadsts !== undefined) {
    advice =
      aadstsAdvice[aadsts] ??
      "Check the credential's tenant id, client id and secret or certificate, and that the authority host matches the cloud.";
  } else if (lowLevelCode !== undefined && /CERT|SSL|TLS|SELF_SIGNED|UNABLE_TO/.test(lowLevelCode)) {
    advice = untrustedCertificateAdvice(lowLevelCode, details.authorityHost);
  } else if (/endpoints_resolution_error/.test(details.description)) {
    // MSAL could not read the authority's OpenID configuration and kept no reason.
    advice = `The authority host did not serve its OpenID configuration: check that it is reachable and is an Entra ID authority, and for an emulator or a TLS-inspecting proxy that Node trusts its CA (${TRUST_EMULATOR_CA}).`;
  } else if (deviceCodeError !== undefined) {
    advice = deviceCodeAdvice[deviceCodeError] as string;
  } else if (details.name === "CredentialUnavailableError") {
    advice = "Configure the credential: for createCredentialFromEnvironment set AZURE_TENANT_ID, AZURE_CLIENT_ID and AZURE_CLIENT_SECRET (or AZURE_CLIENT_CERTIFICATE_PATH).";
  } else if (lowLevelCode !== undefined) {
    advice = `The authority host could not be reached (${lowLevelCode}): check the network, any proxy, and the authority host.`;
  } else {
    advice = "Check the credential's configuration and the authority host.";
  }
  const reason = firstLine(details.description);
  return new GraphSyncError(`Could not get an access token for ${scope}${aadsts ? ` (AADSTS${aadsts})` : ""}: ${reason} ${advice}`, {
    ...base,
    kind: "authentication",
    code: aadsts ? `AADSTS${aadsts}` : (deviceCodeError ?? details.oauthError ?? details.name),
    status: details.statusCode,
  });
}

/** How to make Node trust the graph-sync emulator's CA (its JSON line prints caCertPath). */
const TRUST_EMULATOR_CA =
  "start Node with NODE_EXTRA_CA_CERTS=<the emulator's caCertPath>, or give the @azure/identity credential tlsOptions: { ca: <the emulator's caCertPem> }";

/**
 * A certificate Node does not trust: from Microsoft's own authority that means a TLS-inspecting
 * proxy; from any other authority, most likely the emulator, whose CA is made at its first start.
 */
function untrustedCertificateAdvice(code: string, authorityHost: string | undefined): string {
  if (authorityHost !== undefined && !isKnownAuthorityHost(authorityHost)) {
    return `The TLS certificate of ${authorityHost} is not trusted (${code}). If it is the graph-sync emulator, trust the emulator's CA: ${TRUST_EMULATOR_CA}.`;
  }
  return `The authority host's TLS certificate is not trusted (${code}): behind a TLS-inspecting proxy, make Node trust the proxy's CA (NODE_EXTRA_CA_CERTS=<ca.pem>); for the graph-sync emulator, ${TRUST_EMULATOR_CA}.`;
}

interface IdentityErrorDetails {
  name: string;
  /** Entra ID's own description, without the AADSTS prefix, trace ids and timestamps. */
  description: string;
  aadsts: string | undefined;
  oauthError: string | undefined;
  statusCode: number | undefined;
  /** The authority that could not be reached, when the credential said which (UnreachableAuthorityError). */
  authorityHost: string | undefined;
}

interface ErrorLike {
  name?: unknown;
  message?: unknown;
  cause?: unknown;
  statusCode?: unknown;
  status?: unknown;
  errorCode?: unknown;
  errorMessage?: unknown;
  errorResponse?: { error?: unknown; errorDescription?: unknown };
  authorityHost?: unknown;
}

/**
 * Reads what @azure/identity and MSAL report, without importing them: identity's
 * AuthenticationError (`statusCode`, `errorResponse`), or an error whose `cause` is MSAL's
 * ServerError (`errorCode` such as `invalid_client`, `status`, and the description in `message`:
 * "invalid_client: Error(s): 7000215 - Timestamp: … - Description: AADSTS7000215: Invalid client secret…").
 */
function readIdentityError(error: unknown): IdentityErrorDetails {
  try {
    return readIdentityErrorFields(error);
  } catch {
    // A credential may reject with anything: an object without a prototype (which String() refuses),
    // a Proxy, getters that throw. Reading it must not fail the error that reports it.
    return {
      name: "Error",
      description: "the credential failed with a value that could not be read",
      aadsts: undefined,
      oauthError: undefined,
      statusCode: undefined,
      authorityHost: undefined,
    };
  }
}

function readIdentityErrorFields(error: unknown): IdentityErrorDetails {
  const chain: ErrorLike[] = [];
  for (let current: unknown = error; typeof current === "object" && current !== null && chain.length < 5; ) {
    chain.push(current as ErrorLike);
    current = (current as ErrorLike).cause;
  }
  const strings = (pick: (item: ErrorLike) => unknown): string[] =>
    chain.map(pick).filter((value): value is string => typeof value === "string" && value !== "");
  const texts = [...strings((item) => item.errorResponse?.errorDescription), ...strings((item) => item.errorMessage), ...strings((item) => item.message)];
  const withCode = texts.find((text) => /AADSTS\d+/.test(text));
  const aadsts = withCode ? /AADSTS(\d+)/.exec(withCode)?.[1] : undefined;
  const description = withCode
    ? withCode.slice(withCode.search(/AADSTS\d+/)).replace(/^AADSTS\d+:\s*/, "")
    : (texts[0] ?? String(error));
  const status = chain
    .flatMap((item) => [item.statusCode, item.status])
    .find((value): value is number => typeof value === "number" && value >= 100 && value < 600);
  const first = chain[0];
  return {
    name: typeof first?.name === "string" ? first.name : "Error",
    description,
    aadsts,
    oauthError: [...strings((item) => item.errorResponse?.error), ...strings((item) => item.errorCode)][0],
    statusCode: status,
    authorityHost: strings((item) => item.authorityHost)[0],
  };
}

/** The device code flow's OAuth error named anywhere in the error chain's code or message, if any. */
function findDeviceCodeError(error: unknown): string | undefined {
  const pattern = new RegExp(`\\b(${Object.keys(deviceCodeAdvice).join("|")})\\b`);
  for (let current: unknown = error, depth = 0; typeof current === "object" && current !== null && depth < 5; depth += 1) {
    const item = current as ErrorLike;
    for (const text of [item.errorCode, item.errorMessage, item.message]) {
      const match = typeof text === "string" ? pattern.exec(text) : null;
      if (match?.[1]) return match[1];
    }
    current = item.cause;
  }
  return undefined;
}

function firstLine(text: string): string {
  const line = text.split(/\r?\n/)[0]?.trim() ?? "";
  return /[.!?]$/.test(line) || line === "" ? line : `${line}.`;
}
