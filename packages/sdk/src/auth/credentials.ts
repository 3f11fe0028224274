// The caller's Entra ID credential, from the SDK's side: one made from the environment (as
// @azure/identity's EnvironmentCredential reads it, with the cloud's authority checked), and the
// secrets a client must redact because its credential holds them.
import type { TokenCredential } from "@azure/core-auth";
import { getCloud, isKnownAuthorityHost, type CloudName } from "../clouds.js";
import { GraphSyncError } from "../errors/graphSyncError.js";
import { registerSecret } from "../errors/redaction.js";

/** The environment variables read, as `@azure/identity`'s EnvironmentCredential names them. */
export const EnvironmentVariables = {
  tenantId: "AZURE_TENANT_ID",
  clientId: "AZURE_CLIENT_ID",
  clientSecret: "AZURE_CLIENT_SECRET",
  certificatePath: "AZURE_CLIENT_CERTIFICATE_PATH",
  certificatePassword: "AZURE_CLIENT_CERTIFICATE_PASSWORD",
  authorityHost: "AZURE_AUTHORITY_HOST",
} as const;

/** Options of {@link createCredentialFromEnvironment}: which cloud, which authority, and where the variables come from. */
export interface CredentialFromEnvironmentOptions {
  /** The cloud whose Entra ID issues the token; picks the default authority host. Default `global`. */
  cloud?: CloudName;
  /**
   * The Entra ID authority, for example `https://login.microsoftonline.us` or an emulator's
   * `https://localhost:8443`. Default: `AZURE_AUTHORITY_HOST`, else the cloud's.
   */
  authorityHost?: string;
  /**
   * MSAL's instance discovery asks Microsoft's public endpoint about the authority; it only knows
   * Microsoft's own. Default: on for the known clouds' authorities, off for any other (an emulator).
   */
  disableInstanceDiscovery?: boolean;
  /** Where to read the variables from. Default `process.env`. */
  env?: Readonly<Record<string, string | undefined>>;
}

/**
 * Builds a credential for an app registration from environment variables: `AZURE_TENANT_ID`,
 * `AZURE_CLIENT_ID`, and `AZURE_CLIENT_SECRET` or `AZURE_CLIENT_CERTIFICATE_PATH` (optionally
 * `AZURE_CLIENT_CERTIFICATE_PASSWORD`); `AZURE_AUTHORITY_HOST` overrides the cloud's authority.
 *
 * `@azure/identity` is an optional peer dependency of the SDK, imported only here, lazily: callers
 * who bring their own credential neither install nor load it. The secret is remembered for
 * redaction, so it can never appear in SDK output.
 *
 * Why not `@azure/identity`'s own `EnvironmentCredential`: it reads `process.env` only, and reports
 * missing variables at the first token request with a generic "unavailable" message. This one
 * reads the variables from `env` when given, names the missing ones before any call, picks the
 * authority of `cloud`, refuses a non-https authority with the option to fix, turns MSAL's
 * instance discovery off for an authority Microsoft does not know (an emulator), and, when the
 * authority cannot be reached, says why instead of MSAL's `endpoints_resolution_error`.
 *
 * @throws GraphSyncError (`configuration`) naming the missing variables (never their values), or
 * (`MissingAzureIdentity`) when `@azure/identity` is not installed.
 */
export async function createCredentialFromEnvironment(options: CredentialFromEnvironmentOptions = {}): Promise<TokenCredential> {
  const env = options.env ?? process.env;
  const read = (name: string): string | undefined => {
    const value = env[name]?.trim();
    return value === "" ? undefined : value;
  };
  const tenantId = read(EnvironmentVariables.tenantId);
  const clientId = read(EnvironmentVariables.clientId);
  const clientSecret = read(EnvironmentVariables.clientSecret);
  const certificatePath = read(EnvironmentVariables.certificatePath);
  const certificatePassword = read(EnvironmentVariables.certificatePassword);
  registerSecret(clientSecret);
  registerSecret(certificatePassword);

  const missing = [
    ...(tenantId ? [] : [EnvironmentVariables.tenantId]),
    ...(clientId ? [] : [EnvironmentVariables.clientId]),
    ...(clientSecret || certificatePath ? [] : [`${EnvironmentVariables.clientSecret} (or ${EnvironmentVariables.certificatePath})`]),
  ];
  if (missing.length > 0 || !tenantId || !clientId) {
    throw new GraphSyncError(
      `Cannot build a credential from the environment: set ${missing.join(", ")}. These identify the app registration that calls Graph (its tenant, its Application (client) ID, and a client secret's Value or a certificate).`,
      { kind: "configuration", code: "MissingEnvironmentVariables" },
    );
  }

  const credentialOptions = resolveAuthority(options, read(EnvironmentVariables.authorityHost));

  const identity = await loadAzureIdentity();
  const credential = clientSecret
    ? new identity.ClientSecretCredential(tenantId, clientId, clientSecret, credentialOptions)
    : new identity.ClientCertificateCredential(
        tenantId,
        clientId,
        { certificatePath: certificatePath as string, ...(certificatePassword && { certificatePassword }) },
        credentialOptions,
      );
  // Loaded here, with @azure/identity: a client that is given its credential never needs it.
  const { explainUnreachableAuthority } = await import("./unreachableAuthority.js");
  return explainUnreachableAuthority(credential, credentialOptions.authorityHost, tenantId);
}

/**
 * The authority: the option, else AZURE_AUTHORITY_HOST, else the cloud's. Instance discovery stays
 * on for Microsoft's own authorities (MSAL validates them) and is switched off for any other, which
 * Microsoft's discovery endpoint cannot know (an emulator).
 */
export function resolveAuthority(
  options: Pick<CredentialFromEnvironmentOptions, "cloud" | "authorityHost" | "disableInstanceDiscovery">,
  fromEnvironment: string | undefined,
): { authorityHost: string; disableInstanceDiscovery: boolean } {
  const authorityHost = options.authorityHost ?? fromEnvironment ?? getCloud(options.cloud ?? "global").authorityHost;
  assertHttpsUrl(authorityHost);
  return { authorityHost, disableInstanceDiscovery: options.disableInstanceDiscovery ?? !isKnownAuthorityHost(authorityHost) };
}

/** @azure/identity and MSAL refuse non-https authorities; say so before they do, and which option to fix. */
function assertHttpsUrl(authorityHost: string): void {
  let url: URL | undefined;
  try {
    url = new URL(authorityHost);
  } catch {
    url = undefined;
  }
  if (url?.protocol !== "https:") {
    throw new GraphSyncError(
      `The authority host "${authorityHost}" must be an https URL such as https://login.microsoftonline.com (set with authorityHost or ${EnvironmentVariables.authorityHost}).`,
      { kind: "configuration", code: "InvalidAuthorityHost" },
    );
  }
}

/**
 * `@azure/identity`, the optional peer: a missing install is a configuration error that says what
 * to install, not a bare ERR_MODULE_NOT_FOUND from deep inside the SDK.
 */
async function loadAzureIdentity(): Promise<typeof import("@azure/identity")> {
  try {
    return await import("@azure/identity");
  } catch (error) {
    const code = (error as NodeJS.ErrnoException | undefined)?.code;
    if ((code === "ERR_MODULE_NOT_FOUND" || code === "MODULE_NOT_FOUND") && String((error as Error).message).includes("@azure/identity")) {
      throw new GraphSyncError(
        "createCredentialFromEnvironment needs @azure/identity, an optional peer dependency of @graph-sync/sdk: install it (npm install @azure/identity@4), or pass a TokenCredential of your own to createSyncClient.",
        { kind: "configuration", code: "MissingAzureIdentity", cause: error },
      );
    }
    throw error;
  }
}

/** A handful of values is what a credential has; a long list is a mistake, not a configuration. */
export const MAX_SECRETS_TO_REDACT = 64;

/**
 * The secrets to redact from a client's errors and log lines besides each call's credential values:
 * the ones the caller names (`secretsToRedact`), and the client secret of the caller's own
 * credential when the SDK can see it.
 *
 * The SDK cannot ask a `TokenCredential` for its secret, yet a token endpoint that echoes the
 * client secret in its error description puts it in the token failure's text. `@azure/identity`'s
 * ClientSecretCredential keeps the secret in a `clientSecret` field (private only to TypeScript),
 * so it is picked up from there; for any other credential, pass the secret in `secretsToRedact`.
 */
export function collectSecretsToRedact(credential: TokenCredential, secretsToRedact: unknown): string[] {
  const secrets: string[] = [];
  if (secretsToRedact !== undefined) {
    if (!Array.isArray(secretsToRedact) || secretsToRedact.length > MAX_SECRETS_TO_REDACT) {
      throw invalidSecretsToRedact();
    }
    for (let index = 0; index < secretsToRedact.length; index++) {
      const value: unknown = secretsToRedact[index];
      if (typeof value !== "string") throw invalidSecretsToRedact();
      secrets.push(value);
    }
  }
  const captured = readClientSecret(credential);
  if (captured !== undefined) secrets.push(captured);
  return secrets;
}

function readClientSecret(credential: TokenCredential): string | undefined {
  try {
    const value: unknown = (credential as { clientSecret?: unknown }).clientSecret;
    return typeof value === "string" && value !== "" ? value : undefined;
  } catch {
    // A getter that throws or a Proxy: nothing to capture, and no reason to fail the client.
    return undefined;
  }
}

function invalidSecretsToRedact(): GraphSyncError {
  return new GraphSyncError(
    `secretsToRedact must be a list of at most ${MAX_SECRETS_TO_REDACT} strings (your credential's client secret, for example).`,
    { kind: "configuration", code: "InvalidSecretsToRedact" },
  );
}
