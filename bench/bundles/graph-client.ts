// Minimal app: one authenticated acquireAccessToken call with @microsoft/microsoft-graph-client.
import { ClientSecretCredential } from "@azure/identity";
import { Client } from "@microsoft/microsoft-graph-client";
import { TokenCredentialAuthenticationProvider } from "@microsoft/microsoft-graph-client/authProviders/azureTokenCredentials/index.js";

const env = process.env as Record<string, string>;
const credential = new ClientSecretCredential(env.AZURE_TENANT_ID!, env.AZURE_CLIENT_ID!, env.AZURE_CLIENT_SECRET!);
const client = Client.initWithMiddleware({
  authProvider: new TokenCredentialAuthenticationProvider(credential, { scopes: ["https://graph.microsoft.com/.default"] }),
});
await client
  .api(`/servicePrincipals/${env.SERVICE_PRINCIPAL_ID}/synchronization/acquireAccessToken`)
  .post({ credentials: [{ key: "Oauth2AuthorizationCode", value: env.AUTHORIZATION_CODE }] });
