import type { ODataError } from "@graph-sync/client";
import { HeaderNames } from "../constants.js";
import type { CallContext, CapturedResponse } from "../pipeline/callContext.js";
import { parseRetryAfter } from "../retry/retryAfter.js";
import { describeTarget } from "./describeTarget.js";
import { GraphSyncError, type GraphSyncErrorKind } from "./graphSyncError.js";
import { redactAndTruncate } from "./redaction.js";
import { requiredAccessAdvice } from "./requiredAccess.js";

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

/**
 * Builds the error for an HTTP answer that was not a success.
 *
 * Kiota throws the generated `ODataError` (code, message, innerError, status); the client's
 * ErrorBodyHandler makes sure it does so even for an empty, HTML or non-JSON body. The response
 * captured by each attempt (pipeline/attempt.ts) supplies the headers as sent (Kiota splits them on
 * commas, which breaks dates) and the status should anything else be thrown.
 */
export function responseToError(thrown: unknown, response: CapturedResponse, context: CallContext): GraphSyncError {
  const graphError = readODataError(thrown);
  const status = graphError?.responseStatusCode ?? response.status;
  const main = graphError?.errorEscaped ?? undefined;
  // What the server wrote is redacted before it is shortened (a cut secret would no longer be found).
  const code = main?.code ? redactAndTruncate(main.code, MAX_GRAPH_CODE_LENGTH, context.secrets) : undefined;
  const trimmedMessage = main?.message?.trim();
  const graphMessage = trimmedMessage ? redactAndTruncate(trimmedMessage, MAX_GRAPH_MESSAGE_LENGTH, context.secrets) : undefined;
  // ErrorBodyHandler gives even an empty or HTML body Graph's envelope, so `code` is nearly always
  // there; the fallback covers answers that bypass it (a redirect).
  const what = code
    ? `${status} ${code}${graphMessage ? `: ${graphMessage}` : ""}${isHtml(response) ? " (an HTML page: a proxy, gateway or firewall may have answered instead of Graph)" : ""}` +
      (response.bodyCutAtBytes !== undefined ? ` (the answer's body was longer than ${formatBytes(response.bodyCutAtBytes)}; only that much was read)` : "")
    : `${status}${response.statusText ? ` ${response.statusText}` : ""}`;
  const retryAfterInMs = parseRetryAfter(response.headers.get(HeaderNames.retryAfter), context.clock.now());
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
    requestId: response.headers.get(HeaderNames.requestId) ?? main?.innerError?.requestId ?? undefined,
    clientRequestId:
      response.headers.get(HeaderNames.clientRequestId) ?? main?.innerError?.clientRequestId ?? context.clientRequestId,
    // The Date header is unambiguous (RFC 9110); innerError.date has no time zone and Kiota reads it
    // as local time, so it is only the fallback.
    date: parseDate(response.headers.get(HeaderNames.date)) ?? main?.innerError?.date ?? undefined,
    retryAfterInMs,
    attempts: context.attempts,
    mayHaveBeenProcessed: earlierMayHaveRun,
    // The generated ODataError is a plain object; keep its gist as a real Error.
    cause: graphError ? Object.assign(new Error(graphMessage ?? what), { name: "ODataError", code }) : thrown,
    secrets: context.secrets,
  });
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
  response: CapturedResponse,
  context: CallContext,
  retryAfterInMs: number | undefined,
): string {
  const target = describeTarget(context.target);
  switch (kind) {
    case "authentication": {
      const audience = context.scope.replace(/\/\.default$/, "");
      const challenge = readChallengeDescription(response.headers.get(HeaderNames.wwwAuthenticate));
      return (
        `Graph did not accept the access token (${what})${challenge ? ` [${challenge}]` : ""}. ` +
        `The credential must get a token (an app's, or a signed-in user's) for the scope ${context.scope} (audience ${audience}, cloud "${context.cloud.name}") ` +
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
          `was not accepted (check that it is for ${context.scope} in the tenant of the ${target}, and not expired). ` +
          requiredAccessAdvice(context.target)
        );
      }
      return `Graph denied access to the synchronization of ${target} (${what}). ${requiredAccessAdvice(context.target)}`;
    case "not-found":
      return context.target.kind === "servicePrincipal"
        ? `No service principal with the id ${context.target.id} was found (${what}). servicePrincipalId must be the ` +
            "object id of the service principal (Enterprise applications → Object ID), not the application's client id " +
            "or object id; for an app registration pass { applicationId } instead. Check also that it belongs to the " +
            "tenant your credential signs in to."
        : `No application with the id ${context.target.id} was found (${what}). applicationId must be the object id of ` +
            "the app registration (App registrations → Object ID), not its Application (client) ID; for an enterprise " +
            "application pass { servicePrincipalId } instead. Check also that it belongs to the tenant your credential signs in to.";
    case "throttled":
      return (
        `Graph is throttling requests (${what}) and still was after ${context.attempts} attempt${context.attempts === 1 ? "" : "s"}` +
        (retryAfterInMs === undefined ? "" : `; it asked to wait ${Number((retryAfterInMs / 1000).toFixed(3))} s`) +
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
        ? `Graph answered ${status} redirecting to ${safeHost(location)}; the SDK does not follow redirects for this ` +
            "action because it would resend the secrets. Check baseUrl: it must be Graph's own URL (or your proxy's)."
        : `Graph answered with an unexpected status (${what}).`;
    }
  }
}

/**
 * Which limit Graph says was exceeded (`x-ms-throttle-information`, `x-ms-throttle-scope`), in words:
 * the write quota is far smaller than the resource-unit limit, and waits differ accordingly.
 */
function throttledLimit(response: CapturedResponse): string {
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

/** Kiota's generated ODataError, recognised by shape (it is a plain object, not an Error subclass). */
function readODataError(thrown: unknown): ODataError | undefined {
  if (typeof thrown !== "object" || thrown === null) return undefined;
  const candidate = thrown as Partial<ODataError>;
  return typeof candidate.responseStatusCode === "number" && "errorEscaped" in candidate
    ? (candidate as ODataError)
    : undefined;
}

function isHtml(response: CapturedResponse): boolean {
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

function safeHost(url: string | null): string {
  if (!url) return "an unspecified location";
  try {
    return new URL(url).host;
  } catch {
    return "an invalid location";
  }
}
