// Resilience settings: retries of 429/503/504 (Retry-After honoured), a time limit per attempt and
// per call, cancellation with an AbortSignal, and a logger that shows each retry.
import { createCredentialFromEnvironment, createSyncClient } from "@graph-sync/sdk";
import { graphUrl, requireEnv } from "./exampleEnvironment.ts";

const client = createSyncClient({
  credential: await createCredentialFromEnvironment(),
  ...(graphUrl && { baseUrl: graphUrl }),
  retry: { maxRetries: 5, initialDelayInMs: 500, maxDelayInMs: 10_000 },
  attemptTimeoutInMs: 15_000,
  timeoutInMs: 60_000,
  logger: { info: (line) => console.log(line), warning: (line) => console.warn(line) },
});

// Ctrl+C cancels the call, including a wait between retries.
const controller = new AbortController();
process.once("SIGINT", () => controller.abort());

const result = await client.acquireAccessToken(
  { servicePrincipalId: requireEnv("GRAPH_SYNC_SERVICE_PRINCIPAL_ID") },
  { Oauth2AuthorizationCode: requireEnv("GRAPH_SYNC_AUTHORIZATION_CODE"), Oauth2RedirectUri: requireEnv("GRAPH_SYNC_REDIRECT_URI") },
  { abortSignal: controller.signal, clientRequestId: crypto.randomUUID() },
);
console.log(`Done after ${result.attempts} attempt(s).`);
