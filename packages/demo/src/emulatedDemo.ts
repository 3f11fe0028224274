import type { TokenCredential } from "@azure/core-auth";
import { ClientSecretCredential } from "@azure/identity";
import { startEmulator, type MaskedSynchronizationObject } from "@graph-sync/emulator";
import { clouds, createSyncClient, GraphSyncError } from "@graph-sync/sdk";
import { ExitCode, type CliOutput, type ExitCodeValue } from "@graph-sync/sdk/cli";
import { authorizeThroughConsentPage } from "./consentPageStep.js";
import { runDelegatedAdminSteps } from "./delegatedAdminStep.js";
import { DemoSteps, maskedSecrets, shortId } from "./demoSteps.js";

/** Throttling for the last step: one request per window, so the second call is throttled. */
const DEMO_THROTTLING = { enabled: true, limit: 1, windowSeconds: 2, retryAfterFormat: "fractional" } as const;

/**
 * The main job on an in-process emulator: every call goes over real sockets to the emulated Graph,
 * Entra ID (HTTPS) and target app, through the same SDK code a real tenant would see.
 */
export async function runEmulatedDemo(output: CliOutput, signal: AbortSignal): Promise<ExitCodeValue> {
  const emulator = await startEmulator({});
  try {
    output.out("graph-sync demo — the whole flow on an in-process emulator (nothing leaves this machine)");
    output.out(`   Graph     ${emulator.graphUrl} (emulated, API v1.0)`);
    output.out(`   Entra ID  ${emulator.loginUrl} (emulated, HTTPS with a local CA that only this credential trusts)`);
    output.out(`   Tenant    ${emulator.tenantId}, app ${emulator.clientId} with Application.ReadWrite.OwnedBy`);
    output.out("");

    const steps = new DemoSteps(output);
    const retries: string[] = [];
    // The emulator's CA is new at every start: trust it on this credential only (any Node the SDK
    // supports), rather than process-wide. Graph is plain HTTP on loopback, so only Entra ID needs it.
    output.addSecrets([emulator.clientSecret]);
    const credential = new ClientSecretCredential(emulator.tenantId, emulator.clientId, emulator.clientSecret, {
      authorityHost: emulator.loginUrl,
      disableInstanceDiscovery: true,
      tlsOptions: { ca: emulator.caCertPem },
    });
    const clientFor = (signedIn: TokenCredential) =>
      createSyncClient({
        credential: signedIn,
        baseUrl: emulator.graphUrl,
        logger: {
          warning: (line) => output.err(line),
          info: (line) => {
            if (line.includes("retrying")) retries.push(line.replace(/^graph-sync: /, ""));
            if (output.verbose) output.err(line);
          },
          ...(output.verbose && { verbose: (line: string) => output.err(line) }),
        },
      });
    const client = clientFor(credential);
    const redirect = { Oauth2RedirectUri: emulator.target.redirectUri };
    const servicePrincipal = { servicePrincipalId: emulator.servicePrincipalId };
    const application = { applicationId: emulator.applicationId };

    await steps.run(
      "Token for Graph from Entra ID over HTTPS (ClientSecretCredential)",
      () => credential.getToken(clouds.global.scope, { abortSignal: signal }),
      (token) => (token ? `ok, valid for ${Math.round((token.expiresOnTimestamp - Date.now()) / 60_000)} min` : "no token"),
    );
    const code = await steps.run(
      `Authorization code from the target app through its consent page (GET ${emulator.target.authorizeUrl}, POST Allow, read the redirect)`,
      () => authorizeThroughConsentPage(emulator.target, signal),
      () => "ok (single-use)",
    );
    await steps.run(
      `acquireAccessToken for service principal ${shortId(emulator.servicePrincipalId)}`,
      () => client.acquireAccessToken(servicePrincipal, { Oauth2AuthorizationCode: code, ...redirect }, { abortSignal: signal }),
      (result) => `204 after ${describeAttempts(result.attempts)}`,
    );
    await steps.run(
      `acquireAccessToken for application ${shortId(emulator.applicationId)} (with its own code)`,
      async () => {
        const applicationCode = await emulator.getAuthorizationCode(emulator.applicationId);
        return client.acquireAccessToken(application, [
          { key: "Oauth2AuthorizationCode", value: applicationCode },
          { key: "Oauth2RedirectUri", value: emulator.target.redirectUri },
        ], { abortSignal: signal });
      },
      (result) => `204 after ${describeAttempts(result.attempts)}`,
    );
    const state = await steps.run("Secrets the provisioning service now stores", () => emulator.admin.state(), () => "values masked:");
    for (const [label, objects, id] of [
      ["service principal", state.servicePrincipals, emulator.servicePrincipalId],
      ["application      ", state.applications, emulator.applicationId],
    ] as const) {
      steps.detail(`${label} ${shortId(id)}  ${maskedSecrets(storedKeys(objects, id))}`);
    }
    await steps.expectError("Handled error: the spent authorization code sent again", () =>
      client.acquireAccessToken(servicePrincipal, { Oauth2AuthorizationCode: code, ...redirect }, { abortSignal: signal }),
    );

    await emulator.admin.setThrottling(DEMO_THROTTLING);
    const throttled = await steps.run(
      `Throttling: the emulator allows ${DEMO_THROTTLING.limit} call per ${DEMO_THROTTLING.windowSeconds} s; two calls in a row`,
      async () => {
        // Codes first, so that the two calls follow each other within one throttling window.
        const codes = [
          await emulator.getAuthorizationCode(emulator.servicePrincipalId),
          await emulator.getAuthorizationCode(emulator.applicationId),
        ] as const;
        return [
          await client.acquireAccessToken(servicePrincipal, { Oauth2AuthorizationCode: codes[0], ...redirect }, { abortSignal: signal }),
          await client.acquireAccessToken(application, { Oauth2AuthorizationCode: codes[1], ...redirect }, { abortSignal: signal }),
        ];
      },
      (results) => results.map((result, index) => `call ${index + 1}: 204 after ${describeAttempts(result.attempts)}`).join("; "),
    );
    for (const line of retries) steps.detail(`SDK: ${line}`);
    if (!throttled.some((result) => result.attempts > 1)) {
      throw new GraphSyncError("The throttling step saw no 429: the emulator's throttling did not engage.", { kind: "unexpected" });
    }
    await runDelegatedAdminSteps(steps, emulator, clientFor, signal);
    output.out("");
    output.out("Done. Try it yourself: npx graph-sync help authorize (or help acquire-token)");
    return ExitCode.success;
  } finally {
    await emulator.close();
  }
}

function describeAttempts(attempts: number): string {
  return attempts === 1 ? "1 attempt" : `${attempts} attempts`;
}

function storedKeys(objects: readonly MaskedSynchronizationObject[], id: string): string[] {
  return objects.find((object) => object.id === id)?.secrets.map((secret) => secret.key) ?? [];
}
