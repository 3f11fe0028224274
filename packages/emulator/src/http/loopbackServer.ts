import type { Server } from "node:http";
import type { AddressInfo } from "node:net";

/** The only address the emulator listens on: it is a local tool and must not be reachable remotely. */
export const loopbackAddress = "127.0.0.1";

/** Starts `server` on 127.0.0.1 and resolves to the port it got (`port` 0 picks a free one). */
export function listenOnLoopback(server: Server, port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const onError = (error: Error) => reject(error);
    server.once("error", onError);
    server.listen(port, loopbackAddress, () => {
      server.off("error", onError);
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
