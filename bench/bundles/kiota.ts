// Minimal app: one authenticated acquireAccessToken call with Kiota's default stack and the generated client.
import { ClientSecretCredential } from "@azure/identity";
import { createGraphSyncClient } from "@graph-sync/client";
import { AzureIdentityAuthenticationProvider } from "@microsoft/kiota-authentication-azure";
import { FetchRequestAdapter } from "@microsoft/kiota-http-fetchlibrary";

const env = process.env as Record<string, string>;
const credential = new ClientSecretCredential(env.AZURE_TENANT_ID!, env.AZURE_CLIENT_ID!, env.AZURE_CLIENT_SECRET!);
const client = createGraphSyncClient(
  new FetchRequestAdapter(new AzureIdentityAuthenticationProvider(credential, ["https://graph.microsoft.com/.default"])),
);
await client.servicePrincipals
  .byServicePrincipalId(env.SERVICE_PRINCIPAL_ID!)
  .synchronization.acquireAccessToken.post({ credentials: [{ key: "Oauth2AuthorizationCode", value: env.AUTHORIZATION_CODE! }] });
