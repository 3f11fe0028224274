import { clouds, createCredentialFromEnvironment, createSyncClient, type CloudName, type SyncTarget } from "@graph-sync/sdk";
import { ExitCode, graphRootOf, readCredentials, type CliIo, type CliOutput, type ExitCodeValue } from "@graph-sync/cli";
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
  const cloud = clouds[options.cloud ?? "global"];
  const credentials = await readCredentials(options.credentialsFile, io, output);
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
  output.out("Done. Throttling is not provoked on a real tenant; the emulated demo (npm start) shows it.");
  return ExitCode.success;
}
