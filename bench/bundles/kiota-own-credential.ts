// Minimal app: Kiota's runtime alone — its default adapter, JSON serialization and our generated
// client — with a caller-supplied TokenCredential (no @azure/identity): the reference for the SDK's
// own-credential app (the bundle goal is at most 1.3× this).
import type { TokenCredential } from "@azure/core-auth";
import { createGraphSyncClient } from "@graph-sync/client";
import { AzureIdentityAuthenticationProvider } from "@microsoft/kiota-authentication-azure";
import { FetchRequestAdapter } from "@microsoft/kiota-http-fetchlibrary";

const env = process.env as Record<string, string>;
const credential: TokenCredential = {
  getToken: async () => ({ token: env.GRAPH_TOKEN!, expiresOnTimestamp: Date.now() + 3_600_000 }),
};
const client = createGraphSyncClient(
  new FetchRequestAdapter(new AzureIdentityAuthenticationProvider(credential, ["https://graph.microsoft.com/.default"])),
);
await client.servicePrincipals
  .byServicePrincipalId(env.SERVICE_PRINCIPAL_ID!)
  .synchronization.acquireAccessToken.post({ credentials: [{ key: "Oauth2AuthorizationCode", value: env.AUTHORIZATION_CODE! }] });
