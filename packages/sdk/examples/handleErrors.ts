// Every failure is a GraphSyncError; `kind` says what happened and the message says what to do.
// This example sends a code that is not valid (or already spent) and handles the outcome.
import { createCredentialFromEnvironment, createSyncClient, isGraphSyncError } from "@graph-sync/sdk";
import { graphUrl, requireEnv } from "./exampleEnvironment.ts";

const client = createSyncClient({ credential: await createCredentialFromEnvironment(), ...(graphUrl && { baseUrl: graphUrl }) });

try {
  await client.acquireAccessToken(
    { servicePrincipalId: requireEnv("GRAPH_SYNC_SERVICE_PRINCIPAL_ID") },
    { Oauth2AuthorizationCode: requireEnv("GRAPH_SYNC_AUTHORIZATION_CODE"), Oauth2RedirectUri: requireEnv("GRAPH_SYNC_REDIRECT_URI") },
  );
  console.log("Provisioning is authorized.");
} catch (error) {
  if (!isGraphSyncError(error)) throw error;
  switch (error.kind) {
    case "bad-request":
      console.log(`Graph refused the credentials (${error.code}): get a new authorization code and try again.`);
      break;
    case "permission":
      console.log("The calling app lacks Application.ReadWrite.OwnedBy (as an owner) or Synchronization.ReadWrite.All.");
      break;
    case "not-found":
      console.log("Check the object id: it must be the service principal's object id.");
      break;
    case "throttled":
      console.log(`Throttled; try again in ${(error.retryAfterInMs ?? 60_000) / 1000} s.`);
      break;
    case "timeout":
    case "network":
      if (error.mayHaveBeenProcessed) console.log("No answer, but Graph may have done it: check before using a new code.");
      else console.log("Graph could not be reached: nothing was sent.");
      break;
    default:
      console.log(`${error.kind}: ${error.message}`);
  }
  // Quote these when you contact support; toJSON() never contains a secret.
  console.log(JSON.stringify({ status: error.status, requestId: error.requestId, clientRequestId: error.clientRequestId }));
}
