// Minimal app: @graph-sync/sdk with a caller-supplied TokenCredential (no @azure/identity).
import type { TokenCredential } from "@azure/core-auth";
import { createSyncClient } from "@graph-sync/sdk";

const env = process.env as Record<string, string>;
const credential: TokenCredential = {
  getToken: async () => ({ token: env.GRAPH_TOKEN!, expiresOnTimestamp: Date.now() + 3_600_000 }),
};
const client = createSyncClient({ credential });
await client.acquireAccessToken({ servicePrincipalId: env.SERVICE_PRINCIPAL_ID! }, { Oauth2AuthorizationCode: env.AUTHORIZATION_CODE! });
