// Bring your own credential: any TokenCredential works, here @azure/identity's
// ClientSecretCredential. The credentials go as a list of key/value pairs, Graph's own shape.
import { ClientSecretCredential } from "@azure/identity";
import { createSyncClient, type SynchronizationSecretEntries } from "@graph-sync/sdk";
import { graphUrl, requireEnv } from "./exampleEnvironment.ts";

const authorityHost = process.env["AZURE_AUTHORITY_HOST"];
const credential = new ClientSecretCredential(
  requireEnv("AZURE_TENANT_ID"),
  requireEnv("AZURE_CLIENT_ID"),
  requireEnv("AZURE_CLIENT_SECRET"),
  // An authority other than Microsoft's (the emulator) needs instance discovery off.
  authorityHost ? { authorityHost, disableInstanceDiscovery: true } : {},
);
const client = createSyncClient({ credential, ...(graphUrl && { baseUrl: graphUrl }) });

const credentials: SynchronizationSecretEntries = [
  { key: "Oauth2AuthorizationCode", value: requireEnv("GRAPH_SYNC_AUTHORIZATION_CODE") },
  { key: "Oauth2RedirectUri", value: requireEnv("GRAPH_SYNC_REDIRECT_URI") },
];
await client.acquireAccessToken({ applicationId: requireEnv("GRAPH_SYNC_APPLICATION_ID") }, credentials);
console.log("Provisioning is authorized for the application.");
