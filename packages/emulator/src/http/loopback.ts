import type * as NodeHttp from "node:http";
import type { Server } from "node:http";
import { createRequire } from "node:module";
import type { AddressInfo, Socket } from "node:net";

/**
 * `node:http`, loaded with `require`. Importing it as an ES module makes Node build an ESM facade
 * that reads every export, lazy ones included, and those load undici (Node's fetch and WebSocket
 * engine): about 50 ms of every start, for something the emulator needs only later, if at all.
 */
export const nodeHttp = createRequire(import.meta.url)("node:http") as typeof NodeHttp;

const ipv4Loopback = /^127(\.\d{1,3}){3}$/;

/** True for the address of a peer on this machine: 127.0.0.0/8, `::1`, or 127.x mapped into IPv6. */
export function isLoopbackAddress(address: string | undefined): boolean {
  if (address === undefined) return false;
  const unmapped = address.toLowerCase().replace(/^::ffff:/, "");
  return unmapped === "::1" || ipv4Loopback.test(unmapped);
}

/** True for a host name that can only reach this machine: `localhost`, 127.0.0.0/8 or `[::1]`. */
export function isLoopbackHostname(hostname: string): boolean {
  const bare = hostname.toLowerCase().replace(/^\[(.*)\]$/, "$1");
  return bare === "localhost" || isLoopbackAddress(bare);
}

/** The only address the emulator listens on: it is a local tool and must not be reachable remotely. */
export const loopbackAddress = "127.0.0.1";

/**
 * Starts `server` on 127.0.0.1 and resolves to the port it got (`port` 0 picks a free one). Errors
 * the server reports later (failing to accept a connection when out of file descriptors, say) go to
 * `onError` instead of ending the process.
 */
export function listenOnLoopback(server: Server, port: number, onError: (error: Error) => void): Promise<number> {
  trackConnections(server);
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, loopbackAddress, () => {
      server.off("error", reject);
      server.on("error", onError);
      resolve((server.address() as AddressInfo).port);
    });
  });
}

/**
 * Stops `server` and ends every connection it still has, including idle keep-alive ones and
 * responses held open on purpose (the "stall" fault), so close() never waits on a client.
 */
export function closeServer(server: Server): Promise<void> {
  return new Promise((resolve) => {
    if (!server.listening) {
      resolve();
      return;
    }
    server.close(() => resolve());
    server.closeAllConnections();
    for (const socket of connectionsOf.get(server) ?? []) socket.destroy();
  });
}

/**
 * Every TCP connection of each server. `closeAllConnections()` knows only connections that reached
 * HTTP; on the HTTPS hosts, one still in (or never starting) its TLS handshake would keep `close()`
 * waiting until the handshake timeout.
 */
const connectionsOf = new WeakMap<Server, Set<Socket>>();

function trackConnections(server: Server): void {
  const connections = new Set<Socket>();
  connectionsOf.set(server, connections);
  server.on("connection", (socket: Socket) => {
    connections.add(socket);
    socket.once("close", () => connections.delete(socket));
  });
}
