import type { TokenCredential } from "@azure/core-auth";
import type { CloudName } from "../clouds.js";
import { GraphSyncError } from "../errors/graphSyncError.js";
import { DEVICE_CODE_LIFETIME } from "../failures/credentialAdvice.js";
import { EnvironmentVariables, resolveAuthority } from "./createCredentialFromEnvironment.js";

export interface DeviceCodeSignInOptions {
  cloud?: CloudName;
  authorityHost?: string;
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
