import { createCredentialFromEnvironment } from "../../auth/createCredentialFromEnvironment.js";
import { getCloud, type CloudName } from "../../clouds.js";
import { createSyncClient } from "../../createSyncClient.js";
import type { SyncTarget } from "../../validation/credentialTypes.js";
import { validateCredentials } from "../../validation/validateCredentials.js";
import type { CliIo, CliOutput } from "../cliIo.js";
import { graphRootOf } from "../commonOptions.js";
import { ExitCode, type ExitCodeValue } from "../exitCodes.js";
import { readCredentialsInput } from "../readCredentialsInput.js";
import { DemoSteps, shortId } from "./demoSteps.js";

export interface TenantDemoOptions {
  target: SyncTarget & { servicePrincipalId: string };
  cloud: CloudName | undefined;
  credentialsFile: string | undefined;
  /** A proxy in front of Graph, as for acquire-token. */
  graphUrl: string | undefined;
  authorityHost: string | undefined;
}

/**
 * The same flow on a real tenant, for a service principal the caller names. Nobody can fetch an
 * authorization code on the user's behalf, so the credentials come as for acquire-token; the demo
 * then shows the handled error of sending the same code twice. Throttling is never provoked on a
 * real tenant.
 */
export async function runTenantDemo(options: TenantDemoOptions, io: CliIo, output: CliOutput, signal: AbortSignal): Promise<ExitCodeValue> {
  const cloud = getCloud(options.cloud ?? "global");
  const credentials = validateCredentials(await readCredentialsInput(options.credentialsFile, io, output));
  output.addSecrets(credentials.map(({ value }) => value));
  const authorityHost = options.authorityHost ?? io.env["AZURE_AUTHORITY_HOST"] ?? cloud.authorityHost;
  const credential = await createCredentialFromEnvironment({ env: io.env, cloud: cloud.name, authorityHost });
  const client = createSyncClient({
    credential,
    cloud: cloud.name,
    ...(options.graphUrl && { baseUrl: options.graphUrl }),
    logger: output.logger(),
  });

  output.out(`graph-sync demo — your tenant ${io.env["AZURE_TENANT_ID"] ?? ""} (${cloud.displayName})`);
  output.out(`   Graph     ${graphRootOf(client)} (API ${client.apiVersion})`);
  output.out(`   Entra ID  ${authorityHost}`);
  output.out("");
  const steps = new DemoSteps(output);
  await steps.run(
    "Token for Graph from Entra ID (ClientSecretCredential)",
    () => credential.getToken(cloud.scope, { abortSignal: signal }),
    (token) => (token ? "ok" : "no token"),
  );
  await steps.run(
    `acquireAccessToken for service principal ${shortId(options.target.servicePrincipalId)}`,
    () => client.acquireAccessToken(options.target, credentials, { abortSignal: signal }),
    (result) => `204 (request-id ${result.requestId ?? "none"})`,
  );
  await steps.expectError("Handled error: the same (now spent) credentials sent again", () =>
    client.acquireAccessToken(options.target, credentials, { abortSignal: signal }),
  );
  output.out("");
  output.out("Done. Throttling is not provoked on a real tenant; the emulated demo (graph-sync demo) shows it.");
  return ExitCode.success;
}
