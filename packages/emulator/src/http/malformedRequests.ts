import type { Server } from "node:http";
import type { Duplex } from "node:stream";
import { nodeHttp } from "./nodeHttp.js";
import type { RenderedResponse } from "./renderedResponse.js";

/** Renders the answer to a request that could not be parsed, in the host's own error format. */
export type MalformedRequestRenderer = (status: number, message: string) => RenderedResponse;

/**
 * Answers requests Node's HTTP parser rejects (bad framing, oversized headers, timeouts) in the
 * host's error format instead of Node's bare `400 Bad Request`, so that even a broken client sees a
 * well-formed Graph or Entra error.
 */
export function answerMalformedRequests(server: Server, render: MalformedRequestRenderer): void {
  server.on("clientError", (error: NodeJS.ErrnoException, socket: Duplex) => {
    // Only the HTTP layer's errors get an answer. The others are about the connection itself: a
    // reset, or on the HTTPS hosts a TLS handshake that failed or timed out, where no HTTP can be
    // sent (an answer would wait for a handshake that never comes, keeping the connection open).
    const fromHttpLayer = error.code?.startsWith("HPE_") === true || error.code === "ERR_HTTP_REQUEST_TIMEOUT";
    if (!fromHttpLayer || !socket.writable) {
      socket.destroy();
      return;
    }
    const [status, message] =
      error.code === "HPE_HEADER_OVERFLOW"
        ? [431, "The request headers are too large."]
        : error.code === "ERR_HTTP_REQUEST_TIMEOUT"
          ? [408, "The request was not received in time."]
          : [400, "The request is not valid HTTP/1.1 and could not be read."];
    const rendered = render(status, message);
    const headers = Object.entries({ ...rendered.headers, "Content-Length": Buffer.byteLength(rendered.body), Connection: "close" })
      .map(([name, value]) => `${name}: ${value}`)
      .join("\r\n");
    socket.end(`HTTP/1.1 ${status} ${nodeHttp.STATUS_CODES[status] ?? ""}\r\nDate: ${new Date().toUTCString()}\r\n${headers}\r\n\r\n${rendered.body}`);
  });
}
