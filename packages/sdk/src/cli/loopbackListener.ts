import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo, Socket } from "node:net";
import { UsageError } from "./usageError.js";

/** The page the browser shows after the redirect: no script, nothing from the request echoed. */
function page(title: string, text: string): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${title}</title></head>` +
    `<body><h1>${title}</h1><p>${text}</p></body></html>`;
}

const pages = {
  received: page("graph-sync received the answer", "You can close this window and return to the terminal."),
  alreadyReceived: page("This sign-in is already finished", "graph-sync already received an answer for it. You can close this window and return to the terminal."),
  notHere: page("Not found", "graph-sync waits for the target's redirect at another path."),
};

/** A listener waiting for the one redirect of an authorization request, at a loopback redirect URI (RFC 8252 §7.3). */
export interface LoopbackListener {
  /** The redirect URI with the port it listens on (the one to send in the request and to Graph). */
  readonly redirectUri: string;
  /** The address the browser was redirected to; rejects when `signal` fires first. */
  redirect(signal: AbortSignal): Promise<URL>;
  /** Stops listening and ends open connections. Safe to call twice. */
  close(): Promise<void>;
}

/**
 * Listens on the loopback redirect URI's address: its port, or a free one when it has none (the
 * target accepts any port for a loopback redirect URI). The first request to its path is the
 * answer: the browser is told it may close the window, and the listener stops taking connections.
 * A later request (a reload, a second tab) is told the sign-in is finished; other paths (a
 * favicon) get 404 and are not taken for the answer.
 */
export async function listenForRedirect(redirectUri: URL): Promise<LoopbackListener> {
  const host = redirectUri.hostname === "[::1]" ? "::1" : "127.0.0.1";
  let answered: URL | undefined;
  let deliver: (url: URL) => void = () => undefined;
  const arrived = new Promise<URL>((resolve) => (deliver = resolve));
  const sockets = new Set<Socket>();

  const server: Server = createServer((request: IncomingMessage, response: ServerResponse) => {
    const url = new URL(request.url ?? "/", `http://${request.headers.host ?? "127.0.0.1"}`);
    if (request.method !== "GET" || url.pathname !== redirectUri.pathname) {
      send(response, 404, pages.notHere);
      return;
    }
    if (answered) {
      send(response, 409, pages.alreadyReceived);
      return;
    }
    answered = new URL(`${listenerRedirectUri.origin}${url.pathname}${url.search}${url.hash}`);
    send(response, 200, pages.received);
    // The listener stays up until the command closes it (after the Graph call), so a reload or a
    // second tab meanwhile is told the sign-in is finished instead of "cannot connect".
    deliver(answered);
  });
  server.on("connection", (socket: Socket) => {
    sockets.add(socket);
    socket.once("close", () => sockets.delete(socket));
  });
  server.headersTimeout = 10_000;
  server.requestTimeout = 10_000;

  const port = redirectUri.port === "" ? 0 : Number(redirectUri.port);
  await new Promise<void>((resolve, reject) => {
    server.once("error", (error: NodeJS.ErrnoException) =>
      reject(
        error.code === "EADDRINUSE"
          ? new UsageError(
              `Port ${port} of the redirect URI is in use by another program, so graph-sync cannot receive the redirect there. ` +
                "Stop that program, or register and pass a loopback redirect URI without a port (http://127.0.0.1/callback): the command then picks a free one.",
            )
          : error.code === "EACCES"
            ? new UsageError(`Port ${port} of the redirect URI needs privileges to listen on. Use a port above 1023, or none (a free one is picked).`)
            : error,
      ),
    );
    server.listen(port, host, () => resolve());
  });
  const actualPort = (server.address() as AddressInfo).port;
  const listenerRedirectUri = new URL(redirectUri);
  listenerRedirectUri.port = String(actualPort);

  let closed: Promise<void> | undefined;
  const close = () => {
    closed ??= new Promise<void>((resolve) => {
      server.close(() => resolve());
      for (const socket of sockets) socket.destroy();
    });
    return closed;
  };
  return {
    redirectUri: listenerRedirectUri.toString(),
    redirect: (signal) =>
      new Promise<URL>((resolve, reject) => {
        if (signal.aborted) {
          reject(signal.reason);
          return;
        }
        const onAbort = () => reject(signal.reason);
        signal.addEventListener("abort", onAbort, { once: true });
        void arrived.then((url) => {
          signal.removeEventListener("abort", onAbort);
          resolve(url);
        });
      }),
    close,
  };
}

function send(response: ServerResponse, status: number, body: string): void {
  response.writeHead(status, {
    "Content-Type": "text/html; charset=utf-8",
    "Content-Length": Buffer.byteLength(body),
    "Content-Security-Policy": "default-src 'none'; frame-ancestors 'none'",
    "Cache-Control": "no-store",
    "Referrer-Policy": "no-referrer",
  });
  response.end(body);
}
