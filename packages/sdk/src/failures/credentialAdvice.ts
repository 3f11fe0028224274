// What to do about a credential's failures (Entra ID's AADSTS codes, the device code flow's OAuth
// errors, an authority that cannot be reached or trusted), as texts apart from the code that
// recognises the failure (credentialFailures.ts). A text names what the caller's code can do; the
// CLI renders its own remedies from the error's `reason` (see GraphSyncErrorReason).

/**
 * Where a device code credential puts the lifetime the server gave its code (seconds), on the
 * error it throws, so that an expiry is worded with it rather than with Entra ID's usual 15 minutes.
 */
export const DEVICE_CODE_LIFETIME = Symbol.for("@graph-sync/sdk.deviceCodeLifetimeInSeconds");

/** The device code expired; `lifetimeInSeconds` is the lifetime the server gave, when known. */
export function deviceCodeExpiredAdvice(lifetimeInSeconds: number | undefined): string {
  // Entra ID's codes last 15 minutes; another server (the emulator) may give other lifetimes.
  const lifetime = `codes last ${formatLifetime(lifetimeInSeconds ?? ENTRA_DEVICE_CODE_LIFETIME_IN_SECONDS)}`;
  return `The device code expired before the sign-in was completed (${lifetime}): run again and enter the code at the verification page in time.`;
}

/** Entra ID's device code lifetime (its `expires_in`), for when the server's own is not known. */
const ENTRA_DEVICE_CODE_LIFETIME_IN_SECONDS = 900;

function formatLifetime(seconds: number): string {
  if (seconds >= 60 && seconds % 60 === 0) return `${seconds / 60} minute${seconds === 60 ? "" : "s"}`;
  return `${seconds} s`;
}

/**
 * What to do about the device code flow's OAuth errors. MSAL (and so @azure/identity's
 * DeviceCodeCredential) reports them by their `error` only (`post_request_failed: expired_token`),
 * without Entra's AADSTS description, so they are recognised by name. `undefined`: the expiry, worded
 * with the code's lifetime (see {@link deviceCodeExpiredAdvice}).
 */
export const deviceCodeAdvice: Readonly<Record<string, string | undefined>> = {
  expired_token: undefined,
  device_code_expired: undefined,
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
 * `undefined`: the device code's expiry (see {@link deviceCodeExpiredAdvice}).
 */
export const aadstsAdvice: Readonly<Record<string, string | undefined>> = {
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
  "70019": undefined,
  "53003": "A Conditional Access policy blocked the token: ask an administrator to review the sign-in logs for this app.",
};

/** Any other AADSTS code. */
export const UNKNOWN_AADSTS_ADVICE =
  "Check the credential's tenant id, client id and secret or certificate, and that the authority host matches the cloud.";

/** A credential of @azure/identity that found nothing to work with. */
export const CREDENTIAL_UNAVAILABLE_ADVICE =
  "Configure the credential: for createCredentialFromEnvironment set AZURE_TENANT_ID, AZURE_CLIENT_ID and AZURE_CLIENT_SECRET (or AZURE_CLIENT_CERTIFICATE_PATH).";

/** Nothing more specific is known. */
export const GENERIC_CREDENTIAL_ADVICE = "Check the credential's configuration and the authority host.";

/** How code makes Node trust the graph-sync emulator's CA (its JSON line prints caCertPath and caCertPem). */
const TRUST_EMULATOR_CA_IN_CODE =
  "start Node with NODE_EXTRA_CA_CERTS=<the emulator's caCertPath>, or give the @azure/identity credential tlsOptions: { ca: <the emulator's caCertPem> }";

/** MSAL could not read the authority's OpenID configuration and kept no reason. */
export const ENDPOINTS_RESOLUTION_ADVICE = `The authority host did not serve its OpenID configuration: check that it is reachable and is an Entra ID authority, and for an emulator or a TLS-inspecting proxy that Node trusts its CA (${TRUST_EMULATOR_CA_IN_CODE}).`;

/**
 * A certificate Node does not trust (reason `tls`): from Microsoft's own
 * authority that means a TLS-inspecting proxy; from any other authority, most likely the emulator,
 * whose CA is made at its first start. Worded for code; the CLI words its own.
 */
export function untrustedCertificateAdvice(code: string, authorityHost: string | undefined, isMicrosoftAuthority: boolean): string {
  if (authorityHost !== undefined && !isMicrosoftAuthority) {
    return `The TLS certificate of ${authorityHost} is not trusted (${code}). If it is the graph-sync emulator, trust the emulator's CA: ${TRUST_EMULATOR_CA_IN_CODE}.`;
  }
  return `The authority host's TLS certificate is not trusted (${code}): behind a TLS-inspecting proxy, make Node trust the proxy's CA (NODE_EXTRA_CA_CERTS=<ca.pem>, or the credential's tlsOptions: { ca }); for the graph-sync emulator, ${TRUST_EMULATOR_CA_IN_CODE}.`;
}

/** No connection to the authority at all (refused, unknown host): a network problem, not the credential's. */
export function unreachableAuthorityAdvice(code: string, authorityHost: string | undefined): string {
  return `The authority host${authorityHost ? ` ${authorityHost}` : ""} could not be reached (${code}): check the network, any proxy, and the authority host (AZURE_AUTHORITY_HOST, or the credential's authorityHost).`;
}
