import type { Server, ServerOptions } from "node:http";
import type { AddressInfo } from "node:net";

/** The only address the emulator listens on: it is a local tool and must not be reachable remotely. */
export const loopbackAddress = "127.0.0.1";

/**
 * How long a client may take to send a request: its headers, and the whole of it. Node's defaults
 * (one and five minutes) would let a client that sends slowly, or stops half-way, hold a connection
 * that long; over loopback a legitimate request arrives in milliseconds. Answers are not limited:
 * the "stall" fault holds them on purpose until the client gives up.
 */
export const requestReceptionLimits = { headersTimeout: 10_000, requestTimeout: 30_000 } as const satisfies ServerOptions;

/**
 * Starts `server` on 127.0.0.1 and resolves to the port it got (`port` 0 picks a free one). Errors
 * the server reports later (failing to accept a connection when out of file descriptors, say) go to
 * `onError` instead of ending the process.
 */
export function listenOnLoopback(server: Server, port: number, onError: (error: Error) => void): Promise<number> {
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
  });
}
