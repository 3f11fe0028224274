// A credential's failures (Entra ID, MSAL, @azure/identity, any TokenCredential) as GraphSyncErrors.
// This file recognises the failure; what to do about it is worded in credentialAdvice.ts.
import { isKnownAuthorityHost } from "../clouds.js";
import { GraphSyncError } from "../errors/graphSyncError.js";
import type { CallFacts } from "./callFacts.js";
import {
  aadstsAdvice,
  CREDENTIAL_UNAVAILABLE_ADVICE,
  DEVICE_CODE_LIFETIME,
  deviceCodeAdvice,
  deviceCodeExpiredAdvice,
  ENDPOINTS_RESOLUTION_ADVICE,
  GENERIC_CREDENTIAL_ADVICE,
  UNKNOWN_AADSTS_ADVICE,
  unreachableAuthorityAdvice,
  untrustedCertificateAdvice,
} from "./credentialAdvice.js";
import { abortedWhile, deadlineWhile, findErrorCode, isConnectCode, isTlsCode } from "./noAnswer.js";

/**
 * Builds the error for a failed `getToken`: from @azure/identity (AuthenticationError with Entra
 * ID's JSON answer, CredentialUnavailableError), MSAL, or any other TokenCredential. The AADSTS code
 * becomes `code` and picks the advice; an abort or the call's deadline is reported as such; an
 * authority that refused the connection or whose name did not resolve is `network`, like Graph's.
 */
export function tokenFailureToError(error: unknown, context: CallFacts | undefined, scopes: string | string[]): GraphSyncError {
  const scope = Array.isArray(scopes) ? scopes.join(" ") : scopes;
  const secrets = context?.call.secrets ?? [];
  const base = { clientRequestId: context?.call.clientRequestId, attempts: context?.attempts ?? 0, cause: error, secrets };
  if (context?.callerSignal?.aborted) {
    return new GraphSyncError(`${abortedWhile("getting an access token")}; nothing was sent to Graph.`, { ...base, kind: "aborted", code: "Aborted" });
  }
  if (context?.deadlineExceeded) {
    return new GraphSyncError(`${deadlineWhile(context.limits.timeoutInMs, "getting an access token")}; nothing was sent to Graph.`, {
      ...base,
      kind: "timeout",
      code: "Timeout",
    });
  }

  const details = readIdentityError(error);
  const aadsts = details.aadsts;
  const lowLevelCode = findErrorCode(error);
  const deviceCodeError = findDeviceCodeError(error);
  const lifetimeInSeconds = deviceCodeLifetime(error);
  let advice: string;
  let kind: "authentication" | "network" = "authentication";
  let reason: "tls" | undefined;
  if (aadsts !== undefined) {
    advice = aadstsAdvice[aadsts] ?? (aadsts in aadstsAdvice ? deviceCodeExpiredAdvice(lifetimeInSeconds) : UNKNOWN_AADSTS_ADVICE);
  } else if (lowLevelCode !== undefined && isTlsCode(lowLevelCode)) {
    advice = untrustedCertificateAdvice(lowLevelCode, details.authorityHost, details.authorityHost === undefined || isKnownAuthorityHost(details.authorityHost));
    reason = "tls";
  } else if (/endpoints_resolution_error/.test(details.description)) {
    advice = ENDPOINTS_RESOLUTION_ADVICE;
  } else if (deviceCodeError !== undefined) {
    advice = deviceCodeAdvice[deviceCodeError] ?? deviceCodeExpiredAdvice(lifetimeInSeconds);
  } else if (details.name === "CredentialUnavailableError") {
    advice = CREDENTIAL_UNAVAILABLE_ADVICE;
  } else if (lowLevelCode !== undefined) {
    advice = unreachableAuthorityAdvice(lowLevelCode, details.authorityHost);
    // No connection to the authority: the network's problem, not the credential's (exit 7 in the CLI).
    if (isConnectCode(lowLevelCode)) kind = "network";
  } else {
    advice = GENERIC_CREDENTIAL_ADVICE;
  }
  return new GraphSyncError(`Could not get an access token for ${scope}${aadsts ? ` (AADSTS${aadsts})` : ""}: ${firstLine(details.description)} ${advice}`, {
    ...base,
    kind,
    reason,
    code: aadsts ? `AADSTS${aadsts}` : (deviceCodeError ?? details.oauthError ?? details.name),
    status: details.statusCode,
  });
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

const deviceCodeErrorPattern = new RegExp(`\\b(${Object.keys(deviceCodeAdvice).join("|")})\\b`);

/** The device code flow's OAuth error named anywhere in the error chain's code or message, if any. */
function findDeviceCodeError(error: unknown): string | undefined {
  for (let current: unknown = error, depth = 0; typeof current === "object" && current !== null && depth < 5; depth += 1) {
    const item = current as ErrorLike;
    for (const text of [item.errorCode, item.errorMessage, item.message]) {
      const match = typeof text === "string" ? deviceCodeErrorPattern.exec(text) : null;
      if (match?.[1]) return match[1];
    }
    current = item.cause;
  }
  return undefined;
}

/** The lifetime a device code credential recorded on its error (see DEVICE_CODE_LIFETIME), if any. */
function deviceCodeLifetime(error: unknown): number | undefined {
  try {
    const value = typeof error === "object" && error !== null ? (error as { [DEVICE_CODE_LIFETIME]?: unknown })[DEVICE_CODE_LIFETIME] : undefined;
    return typeof value === "number" && Number.isFinite(value) && value > 0 ? value : undefined;
  } catch {
    return undefined;
  }
}

function firstLine(text: string): string {
  const line = text.split(/\r?\n/)[0]?.trim() ?? "";
  return /[.!?]$/.test(line) || line === "" ? line : `${line}.`;
}
