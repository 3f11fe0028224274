// Minimal app: one authenticated acquireAccessToken call with @graph-sync/sdk and @azure/identity.
import { ClientSecretCredential } from "@azure/identity";
import { createSyncClient } from "@graph-sync/sdk";

const env = process.env as Record<string, string>;
const client = createSyncClient({
  credential: new ClientSecretCredential(env.AZURE_TENANT_ID!, env.AZURE_CLIENT_ID!, env.AZURE_CLIENT_SECRET!),
});
await client.acquireAccessToken({ servicePrincipalId: env.SERVICE_PRINCIPAL_ID! }, { Oauth2AuthorizationCode: env.AUTHORIZATION_CODE! });
