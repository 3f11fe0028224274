// The floor's counterpart: the least a server can do for this call (read the body, answer 204),
// run in its own process so its CPU never lands on the client being measured.
// Started by figures as a child process; prints its port as one line on stdout.
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";

const server = createServer((request, response) => {
  request.resume();
  request.on("end", () => {
    response.writeHead(204, { "request-id": "00000000-0000-0000-0000-000000000000" });
    response.end();
  });
});
server.keepAliveTimeout = 60_000;
server.listen(0, "127.0.0.1", () => {
  process.stdout.write(`${(server.address() as AddressInfo).port}\n`);
});
process.on("SIGTERM", () => server.close(() => process.exit(0)));
process.on("disconnect", () => process.exit(0));
