// Run with the pinned Node inside a regenerated copy of the repository, after it is built:
//   node useNewSecretKey.mjs <copy root> <new key>
// Starts the copy's emulator, then sends the new key through the copy's SDK (validated by the SDK,
// then by the emulator against its copy of the fragment), calls beta once, and prints what each
// part says, as JSON.
import path from "node:path";
import { pathToFileURL } from "node:url";
import tls from "node:tls";

const [root, key] = process.argv.slice(2);
const load = (relative) => import(pathToFileURL(path.join(root, relative)).href);
const { startEmulator } = await load("packages/emulator/dist/index.js");
const sdk = await load("packages/sdk/dist/index.js");

const emulator = await startEmulator({ throttling: { enabled: false } });
try {
  tls.setDefaultCACertificates([...tls.getCACertificates("default"), emulator.caCertPem]);
  const credential = await sdk.createCredentialFromEnvironment({
    env: { AZURE_TENANT_ID: emulator.tenantId, AZURE_CLIENT_ID: emulator.clientId, AZURE_CLIENT_SECRET: emulator.clientSecret },
    authorityHost: emulator.loginUrl,
  });
  const client = sdk.createSyncClient({ credential, baseUrl: emulator.graphUrl, logger: {} });
  let call;
  try {
    await client.acquireAccessToken(
      { servicePrincipalId: emulator.servicePrincipalId },
      { Oauth2AuthorizationCode: await emulator.getAuthorizationCode(), [key]: "new-secret-value" },
    );
    call = "accepted";
  } catch (error) {
    call = `refused: ${error.message}`;
  }
  // Beta: the emulator's Deprecation/Sunset headers and the SDK's warning, both from the beta fragment.
  const warnings = [];
  const beta = sdk.createSyncClient({ credential, baseUrl: emulator.graphUrl, apiVersion: "beta", logger: { warning: (line) => warnings.push(line) } });
  await beta.acquireAccessToken({ servicePrincipalId: emulator.servicePrincipalId }, { Oauth2AuthorizationCode: await emulator.getAuthorizationCode() });
  const state = JSON.stringify(await emulator.admin.state());
  console.log(JSON.stringify({
    sdkKnowsKey: sdk.isSynchronizationSecretKey(key),
    sdkKeyCount: sdk.synchronizationSecretKeys.length,
    call,
    emulatorStoredKey: state.includes(`"${key}"`),
    betaWarning: warnings.join("\n"),
  }));
} finally {
  await emulator.close();
}
