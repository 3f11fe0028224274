// Authorize provisioning for a service principal (an enterprise application) with an
// authorization code obtained from the target app. The app that calls Graph comes from
// AZURE_TENANT_ID / AZURE_CLIENT_ID / AZURE_CLIENT_SECRET (see createCredentialFromEnvironment).
import { createCredentialFromEnvironment, createSyncClient } from "@graph-sync/sdk";
import { graphUrl, requireEnv } from "./exampleEnvironment.ts";

const credential = await createCredentialFromEnvironment();
const client = createSyncClient({ credential, ...(graphUrl && { baseUrl: graphUrl }) });

const result = await client.acquireAccessToken(
  { servicePrincipalId: requireEnv("GRAPH_SYNC_SERVICE_PRINCIPAL_ID") },
  {
    Oauth2AuthorizationCode: requireEnv("GRAPH_SYNC_AUTHORIZATION_CODE"),
    Oauth2RedirectUri: requireEnv("GRAPH_SYNC_REDIRECT_URI"),
  },
);
console.log(`Provisioning is authorized (client-request-id ${result.clientRequestId}, ${result.attempts} attempt(s)).`);
