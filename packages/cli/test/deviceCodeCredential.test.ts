// The CLI's device-code sign-in (--device-code) passes on the lifetime the server gave its code, so
// the SDK's expiry message names it rather than Entra ID's usual 15 minutes.
import { createSyncClient, isGraphSyncError } from "@graph-sync/sdk";
import { rejectionOf, startEmulator } from "@graph-sync/test-support";
import { expect, test } from "vitest";
import { createDeviceCodeCredential } from "../src/deviceCodeCredential.js";

const captureError = (promise: Promise<unknown>) => rejectionOf(promise, isGraphSyncError);

test("expired with the CLI's device code credential: the message gives the lifetime the server gave (20 s here), not Entra's 15 minutes", async () => {
  let shortNow = Date.now();
  const shortCodes = await startEmulator({ throttling: { enabled: false }, clock: () => shortNow, deviceCodePollingIntervalInSeconds: 1, deviceCodeLifetimeInSeconds: 20 });
  try {
    const credential = await createDeviceCodeCredential({
      env: { AZURE_TENANT_ID: shortCodes.tenantId, AZURE_CLIENT_ID: shortCodes.clientId, AZURE_AUTHORITY_HOST: shortCodes.loginUrl },
      trustedCaPem: shortCodes.caCertPem,
      // The user never signs in; the emulator's clock passes the code's 20 seconds before the first poll.
      prompt: () => {
        shortNow += 21_000;
      },
    });
    const sdk = createSyncClient({ credential, baseUrl: shortCodes.graphUrl, logger: {} });
    const error = await captureError(sdk.acquireAccessToken({ servicePrincipalId: shortCodes.servicePrincipalId }, { Oauth2AuthorizationCode: "unused" }));
    expect(error).toMatchObject({ kind: "authentication", code: "expired_token", attempts: 0 });
    expect(error.message).toContain("The device code expired before the sign-in was completed (codes last 20 s): run again");
    expect(error.message).not.toContain("15 minutes");
  } finally {
    await shortCodes.close();
  }
});

