import type { TokenCredential } from "@azure/core-auth";
import { GraphSyncError, resolveAuthority, type CloudName } from "@graph-sync/sdk";
import { DEVICE_CODE_LIFETIME } from "@graph-sync/sdk/tooling";

/** The environment variables read, as `@azure/identity` names them (AZURE_AUTHORITY_HOST is its too). */
const EnvironmentVariables = {
  tenantId: "AZURE_TENANT_ID",
  clientId: "AZURE_CLIENT_ID",
  authorityHost: "AZURE_AUTHORITY_HOST",
} as const;

/** What the device-code sign-in needs besides the environment's AZURE_TENANT_ID and AZURE_CLIENT_ID. */
export interface DeviceCodeSignInOptions {
  /** `--cloud`: picks the default authority. */
  cloud?: CloudName;
  /** `--authority-host`: overrides AZURE_AUTHORITY_HOST and the cloud's authority. */
  authorityHost?: string;
  /** Where AZURE_TENANT_ID, AZURE_CLIENT_ID and AZURE_AUTHORITY_HOST are read. */
  env: Readonly<Record<string, string | undefined>>;
  /**
   * Extra CAs to trust for the authority host on this credential only (as `@azure/identity`'s
   * `tlsOptions.ca`): the emulator's CA, without NODE_EXTRA_CA_CERTS.
   */
  trustedCaPem?: string;
  /** Shows the user where to go and which code to enter (Entra ID's own sentence). */
  prompt: (message: string) => void;
}

/**
 * A credential that signs a user in with the device code flow: `@azure/identity`'s
 * DeviceCodeCredential for the app registration in AZURE_CLIENT_ID (which must allow public client
 * flows and have the delegated permission consented) in AZURE_TENANT_ID. The user opens the page and
 * enters the code the prompt shows, on any device; no secret is involved.
 *
 * @throws GraphSyncError (`configuration`) naming the missing variables.
 */
export async function createDeviceCodeCredential(options: DeviceCodeSignInOptions): Promise<TokenCredential> {
  const read = (name: string): string | undefined => {
    const value = options.env[name]?.trim();
    return value === "" ? undefined : value;
  };
  const tenantId = read(EnvironmentVariables.tenantId);
  const clientId = read(EnvironmentVariables.clientId);
  if (!tenantId || !clientId) {
    const missing = [...(tenantId ? [] : [EnvironmentVariables.tenantId]), ...(clientId ? [] : [EnvironmentVariables.clientId])];
    throw new GraphSyncError(
      `Cannot sign in with a device code: set ${missing.join(", ")}: the tenant, and the Application (client) ID of an app registration that allows public client flows and has the delegated Synchronization.ReadWrite.All consented.`,
      { kind: "configuration", code: "MissingEnvironmentVariables" },
    );
  }
  const authority = resolveAuthority(
    { ...(options.cloud && { cloud: options.cloud }), ...(options.authorityHost && { authorityHost: options.authorityHost }) },
    read(EnvironmentVariables.authorityHost),
  );
  const identity = await import("@azure/identity");
  // The lifetime the server gave the code (MSAL's `expiresIn`, passed on by @azure/identity though
  // its type omits it): an expiry is then worded with it (failures/credentialAdvice.ts).
  let lifetimeInSeconds: number | undefined;
  const credential = new identity.DeviceCodeCredential({
    tenantId,
    clientId,
    ...authority,
    ...(options.trustedCaPem !== undefined && { tlsOptions: { ca: options.trustedCaPem } }),
    userPromptCallback: (info) => {
      const expiresIn = (info as { expiresIn?: unknown }).expiresIn;
      lifetimeInSeconds = typeof expiresIn === "number" && expiresIn > 0 ? expiresIn : undefined;
      options.prompt(info.message);
    },
  });
  return {
    getToken: async (scopes, tokenOptions) => {
      try {
        return await credential.getToken(scopes, tokenOptions);
      } catch (error) {
        if (lifetimeInSeconds !== undefined && typeof error === "object" && error !== null) {
          Object.defineProperty(error, DEVICE_CODE_LIFETIME, { value: lifetimeInSeconds });
        }
        throw error;
      }
    },
  };
}
