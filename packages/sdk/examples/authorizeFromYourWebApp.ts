// The Authorize step in your own web app: a page that sends the administrator to the target
// application's consent page, and a callback that takes the code back and hands it to Graph. The
// same two SDK pieces `graph-sync authorize` uses: createAuthorizationRequest (the URL and its state)
// and readAuthorizationResponse (the code, once the state is checked; or the target's error).
// It serves one authorization on http://127.0.0.1:<port>/ and exits.
import { createServer } from "node:http";
import { createCredentialFromEnvironment, createSyncClient } from "@graph-sync/sdk";
import {
  createAuthorizationRequest,
  isAuthorizationFlowError,
  readAuthorizationResponse,
  type AuthorizationRequest,
} from "@graph-sync/sdk/authorization";
import { graphUrl, requireEnv } from "./exampleEnvironment.ts";

const target = {
  authorizationUrl: requireEnv("GRAPH_SYNC_TARGET_AUTHORIZATION_URL"),
  tokenUrl: requireEnv("GRAPH_SYNC_TARGET_TOKEN_URL"),
  clientId: requireEnv("GRAPH_SYNC_TARGET_CLIENT_ID"),
  clientSecret: requireEnv("GRAPH_SYNC_TARGET_CLIENT_SECRET"),
};
const servicePrincipalId = requireEnv("GRAPH_SYNC_SERVICE_PRINCIPAL_ID");
const client = createSyncClient({ credential: await createCredentialFromEnvironment(), ...(graphUrl && { baseUrl: graphUrl }) });

// A real app keeps pending requests in the signed-in administrator's session; one is enough here.
let pending: AuthorizationRequest | undefined;

const server = createServer(async (request, response) => {
  const url = new URL(request.url ?? "/", `http://${request.headers.host}`);
  if (url.pathname === "/") {
    // Step 1: send the browser to the target, with a fresh state.
    pending = createAuthorizationRequest({ ...target, redirectUri: `${url.origin}/callback` });
    response.writeHead(302, { Location: pending.url }).end();
    return;
  }
  if (url.pathname !== "/callback" || !pending) {
    response.writeHead(404).end();
    return;
  }
  // Step 2: the target redirected back; the code, once the state matches, goes to Graph.
  try {
    const { code } = readAuthorizationResponse(url, { state: pending.state, redirectUri: pending.redirectUri });
    await client.acquireAccessToken(
      { servicePrincipalId },
      {
        Oauth2AuthorizationCode: code,
        Oauth2RedirectUri: pending.redirectUri,
        Oauth2ClientId: target.clientId,
        Oauth2ClientSecret: target.clientSecret,
        Oauth2AuthorizationUri: target.authorizationUrl,
        Oauth2TokenExchangeUri: target.tokenUrl,
      },
    );
    response.writeHead(200, { "Content-Type": "text/plain" }).end("Provisioning is authorized. You can close this window.");
    console.log("Provisioning is authorized.");
  } catch (error) {
    // The target's error (access_denied when the administrator chose Deny) or a state that does not
    // match: nothing was sent to Graph. The message says what to do and never holds the code.
    const message = isAuthorizationFlowError(error) ? error.message : "Graph did not accept the credentials.";
    response.writeHead(400, { "Content-Type": "text/plain" }).end(message);
    console.log(`Not authorized: ${message}`);
  }
  pending = undefined;
  server.close();
});

server.listen(0, "127.0.0.1", () => {
  const address = server.address();
  if (address && typeof address === "object") console.log(`Open http://127.0.0.1:${address.port}/ to authorize provisioning.`);
});
