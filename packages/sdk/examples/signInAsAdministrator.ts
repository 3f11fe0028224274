// Authorize provisioning as a signed-in administrator instead of an app: the device code flow,
// where the user opens a page on any device and enters the code printed here. The user needs the
// delegated Synchronization.ReadWrite.All and one of the roles Application Administrator, Cloud
// Application Administrator or Hybrid Identity Administrator; AZURE_CLIENT_ID is an app registration
// that allows public client flows (no secret is involved).
import { DeviceCodeCredential } from "@azure/identity";
import { createSyncClient } from "@graph-sync/sdk";
import { graphUrl, requireEnv } from "./exampleEnvironment.ts";

const authorityHost = process.env["AZURE_AUTHORITY_HOST"];
const credential = new DeviceCodeCredential({
  tenantId: requireEnv("AZURE_TENANT_ID"),
  clientId: requireEnv("AZURE_CLIENT_ID"),
  // Another authority (a national cloud's, or an emulator's) is not known to instance discovery.
  ...(authorityHost && { authorityHost, disableInstanceDiscovery: !authorityHost.startsWith("https://login.microsoftonline.") }),
  userPromptCallback: (info) => console.error(info.message), // "To sign in, use a web browser to open the page …"
});
const client = createSyncClient({ credential, ...(graphUrl && { baseUrl: graphUrl }) });

const result = await client.acquireAccessToken(
  { servicePrincipalId: requireEnv("GRAPH_SYNC_SERVICE_PRINCIPAL_ID") },
  {
    Oauth2AuthorizationCode: requireEnv("GRAPH_SYNC_AUTHORIZATION_CODE"),
    Oauth2RedirectUri: requireEnv("GRAPH_SYNC_REDIRECT_URI"),
  },
);
console.log(`Provisioning is authorized by the signed-in administrator (${result.attempts} attempt(s)).`);
