import { isKnownAuthorityHost } from "../clouds.js";
import { findErrorCode } from "../pipeline/attemptFailure.js";
import type { CallContext } from "../pipeline/callContext.js";
import { GraphSyncError } from "./graphSyncError.js";

/**
 * What to do about the AADSTS codes a client-credentials token request commonly fails with. The
 * codes come from Entra ID's error descriptions (`AADSTS7000215: Invalid client secret…`).
 */
const aadstsAdvice: Readonly<Record<string, string>> = {
  "7000215":
    "The client secret is wrong: use the secret's Value (shown once, when it was created), not its Secret ID (AZURE_CLIENT_SECRET).",
  "7000222": "The client secret has expired: create a new one under App registrations → Certificates & secrets.",
  "7000218": "The token request carried no client secret or certificate: set AZURE_CLIENT_SECRET or AZURE_CLIENT_CERTIFICATE_PATH.",
  "700016":
    "No application with this client id exists in the tenant: check AZURE_CLIENT_ID and AZURE_TENANT_ID, and that the app is registered in (or consented to by) that tenant.",
  "90002": "The tenant was not found: check AZURE_TENANT_ID and that the authority host belongs to the tenant's cloud.",
  "70011": "The scope is not valid: an app-only token for Graph needs the scope <graph URL>/.default of the tenant's cloud (the cloud option).",
  "500011":
    "Graph is not known in this tenant's cloud: the cloud option and the authority host do not match the tenant (global, usgov, usgov-dod).",
  "700027": "The client certificate assertion was rejected: check that the certificate uploaded to the app registration is the one in AZURE_CLIENT_CERTIFICATE_PATH.",
  "700024": "The client assertion is not within its valid time range: check this machine's clock.",
  "53003": "A Conditional Access policy blocked the token: ask an administrator to review the sign-in logs for this app.",
};

/**
 * Builds the error for a failed `getToken`: from @azure/identity (AuthenticationError with Entra
 * ID's JSON answer, CredentialUnavailableError), MSAL, or any other TokenCredential. The AADSTS code
 * becomes `code` and picks the advice; an abort or the call's deadline is reported as such.
 */
export function tokenFailureToError(error: unknown, context: CallContext | undefined, scopes: string | string[]): GraphSyncError {
  const scope = Array.isArray(scopes) ? scopes.join(" ") : scopes;
  const secrets = context?.secrets ?? [];
  const base = { clientRequestId: context?.clientRequestId, attempts: context?.attempts ?? 0, cause: error, secrets };
  if (context?.callerSignal?.aborted) {
    return new GraphSyncError("The call was aborted by the caller's abortSignal while getting an access token; nothing was sent to Graph.", {
      ...base,
      kind: "aborted",
      code: "Aborted",
    });
  }
  if (context?.deadlineExceeded) {
    return new GraphSyncError(
      `The call did not finish within its timeout of ${context.timeoutInMs} ms (timeoutInMs) while getting an access token; nothing was sent to Graph.`,
      { ...base, kind: "timeout", code: "Timeout" },
    );
  }

  const details = readIdentityError(error);
  const aadsts = details.aadsts;
  const lowLevelCode = findErrorCode(error);
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
    code: aadsts ? `AADSTS${aadsts}` : (details.oauthError ?? details.name),
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
    return { name: "Error", description: "the credential failed with a value that could not be read", aadsts: undefined, oauthError: undefined, statusCode: undefined, authorityHost: undefined };
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

function firstLine(text: string): string {
  const line = text.split(/\r?\n/)[0]?.trim() ?? "";
  return /[.!?]$/.test(line) || line === "" ? line : `${line}.`;
}
