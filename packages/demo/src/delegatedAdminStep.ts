import type { TokenCredential } from "@azure/core-auth";
import { DeviceCodeCredential } from "@azure/identity";
import type { RunningEmulator } from "@graph-sync/emulator";
import { clouds, type SyncClient } from "@graph-sync/sdk";
import { type DemoSteps, shortId } from "./demoSteps.js";

/**
 * The demo's delegated part: an administrator signs in with the device code flow (what
 * `graph-sync acquire-token --device-code` does) and calls the action as themselves. On a real
 * tenant they would open the page and enter the code; the emulator approves the code as its demo
 * administrator (Cloud Application Administrator) the moment it is issued.
 */
export async function runDelegatedAdminSteps(
  steps: DemoSteps,
  emulator: RunningEmulator,
  clientFor: (credential: TokenCredential) => SyncClient,
  signal: AbortSignal,
): Promise<void> {
  // The previous step's tight limit would only make this one wait.
  await emulator.admin.setThrottling({});
  await emulator.admin.setAccess({ autoApproveDeviceCodes: emulator.adminUserPrincipalName });
  const prompts: string[] = [];
  // What `graph-sync acquire-token --device-code` builds, with the emulator's authority.
  const credential = new DeviceCodeCredential({
    tenantId: emulator.tenantId,
    clientId: emulator.clientId,
    authorityHost: emulator.loginUrl,
    disableInstanceDiscovery: true,
    // Like the app's credential: trust the emulator's CA on this credential only.
    tlsOptions: { ca: emulator.caCertPem },
    userPromptCallback: (info) => prompts.push(info.message),
  });
  await steps.run(
    "Sign-in as an administrator with a device code (DeviceCodeCredential)",
    () => credential.getToken(clouds.global.scope, { abortSignal: signal }),
    () => `ok, ${emulator.adminUserPrincipalName} (Cloud Application Administrator)`,
  );
  for (const prompt of prompts) steps.detail(`Entra ID: ${prompt}`);
  steps.detail("(the emulator approves the code as that administrator; on a real tenant you open the page and sign in)");
  const code = await emulator.getAuthorizationCode(emulator.servicePrincipalId);
  await steps.run(
    `acquireAccessToken for service principal ${shortId(emulator.servicePrincipalId)} as the administrator (delegated Synchronization.ReadWrite.All)`,
    () =>
      clientFor(credential).acquireAccessToken(
        { servicePrincipalId: emulator.servicePrincipalId },
        { Oauth2AuthorizationCode: code, Oauth2RedirectUri: emulator.target.redirectUri },
        { abortSignal: signal },
      ),
    (result) => `204 after ${result.attempts === 1 ? "1 attempt" : `${result.attempts} attempts`}`,
  );
}
