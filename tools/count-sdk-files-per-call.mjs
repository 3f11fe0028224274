// How many of the SDK's own built files one acquireAccessToken call loads (issue 11: a newcomer
// should not have to cross dozens of files to follow a call). Run after `npm run build`:
//
//   ./node_modules/.bin/node tools/count-sdk-files-per-call.mjs [--list]
//
// It imports the built @graph-sync/sdk, makes one successful call against a local stand-in for
// Graph (a node:http server on 127.0.0.1 that answers 204, as Graph does), and counts the distinct
// files under packages/sdk/dist/ that Node loaded meanwhile (module.registerHooks sees every one).
import { createServer } from "node:http";
import { registerHooks } from "node:module";

const loaded = new Set();
registerHooks({
  load(url, context, next) {
    if (url.includes("/packages/sdk/dist/")) loaded.add(url.slice(url.indexOf("/packages/sdk/dist/") + "/packages/sdk/dist/".length));
    return next(url, context);
  },
});

const server = createServer((request, response) => {
  request.resume();
  request.on("end", () => response.writeHead(204, { "request-id": "count-files" }).end());
});
await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
try {
  const { createSyncClient } = await import("@graph-sync/sdk");
  const client = createSyncClient({
    credential: { getToken: async () => ({ token: "t".repeat(40), expiresOnTimestamp: Date.now() + 3_600_000 }) },
    baseUrl: `http://127.0.0.1:${server.address().port}`,
    logger: {},
  });
  const result = await client.acquireAccessToken(
    { servicePrincipalId: "8f2c5c41-3b5e-4a7f-9e0b-2c4d1e6f7a8b" },
    { Oauth2AuthorizationCode: "count-files-code", Oauth2RedirectUri: "https://localhost/callback" },
  );
  if (result.attempts !== 1) throw new Error(`expected one attempt, got ${result.attempts}`);
} finally {
  server.close();
}
const files = [...loaded].sort();
console.log(`${files.length} SDK files loaded by one acquireAccessToken call`);
if (process.argv.includes("--list")) for (const file of files) console.log(`  ${file}`);
