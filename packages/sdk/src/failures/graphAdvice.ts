// What to do about Graph's error answers, per kind of error, apart from the code that sorts the
// answers (graphAnswers.ts).
import { hostOf } from "../clouds.js";
import { HeaderNames } from "../constants.js";
import type { GraphSyncErrorKind } from "../errors/graphSyncError.js";
import { formatSeconds } from "../retry/retryDecision.js";
import { describeTarget, type ResolvedTarget } from "../validation/validateTarget.js";
import type { CallFacts } from "./callFacts.js";
import type { GraphAnswer } from "./graphAnswers.js";

/** The message for an answer of `kind`: what happened (`what`) and what to do. */
export function adviceFor(
  kind: GraphSyncErrorKind,
  status: number,
  what: string,
  response: GraphAnswer,
  context: CallFacts,
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

/** True when the answer is an HTML page (a proxy or gateway, not Graph). */
export function isHtml(response: GraphAnswer): boolean {
  return /^text\/html\b/i.test(response.headers.get(HeaderNames.contentType) ?? "");
}

/** `error_description` of a `WWW-Authenticate: Bearer …` challenge, which often says what is wrong. */
function readChallengeDescription(header: string | null): string | undefined {
  if (!header) return undefined;
  return /error_description="([^"]*)"/i.exec(header)?.[1] || undefined;
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
