// For figure 7: a server that fails the call with a huge JSON error body (argv[2] MiB), as a
// misbehaving proxy or a buggy service could; warm-up calls (any other service principal) get the
// usual 204. Its own process, so its memory never lands on the client being measured. Prints its
// port as one line on stdout.
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";

/** The service principal id whose calls are answered with the huge error body (figures/errorBody.ts names it too). */
const HUGE_ERROR_PRINCIPAL = "00000000-0000-0000-0000-00000000e404";

const mebibytes = Number(process.argv[2]);
if (!Number.isInteger(mebibytes) || mebibytes < 1 || mebibytes > 512) {
  process.stderr.write("usage: errorBodyServer.ts <body size in MiB, 1–512>\n");
  process.exit(2);
}

// A well-formed OData error whose message is the bulk, so a client that parses it parses it all.
const head = Buffer.from('{"error":{"code":"BadRequest","message":"');
const tail = Buffer.from('","innerError":{"request-id":"00000000-0000-0000-0000-000000000000"}}}');
const body = Buffer.alloc(mebibytes * 1024 * 1024, "x");
head.copy(body, 0);
tail.copy(body, body.length - tail.length);

const server = createServer((request, response) => {
  request.resume();
  // A client that stops reading (the SDK keeps at most 1 MiB) closes the connection: not an error here.
  response.on("error", () => undefined);
  request.on("end", () => {
    if (!request.url?.includes(HUGE_ERROR_PRINCIPAL)) {
      response.writeHead(204).end();
      return;
    }
    response.writeHead(400, { "content-type": "application/json", "content-length": body.length });
    response.end(body);
  });
});
server.keepAliveTimeout = 60_000;
server.listen(0, "127.0.0.1", () => {
  process.stdout.write(`${(server.address() as AddressInfo).port}\n`);
});
process.on("SIGTERM", () => server.close(() => process.exit(0)));
process.on("disconnect", () => process.exit(0));
