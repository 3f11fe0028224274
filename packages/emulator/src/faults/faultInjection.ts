import type { IncomingMessage } from "node:http";
import type { Socket } from "node:net";
import { TLSSocket } from "node:tls";
import { discardRequestBody } from "../http/incomingRequest.js";
import { sendRendered, type RenderedResponse, type RequestHandler } from "../http/host.js";
import { annotateRequest } from "../http/requestLog.js";
import type { FaultKind } from "./faultConfig.js";
import type { FaultableArea, FaultInjector } from "./faultInjector.js";

/** Renders an injected 5xx in the area's own format. */
export type FaultErrorRenderer = (
  request: IncomingMessage,
  fault: { kind: FaultKind; status: 500 | 503 | 504; retryAfterSeconds?: number },
) => RenderedResponse;

/** Wraps a handler so that configured faults are injected before it runs. */
export function injectingFaults(
  area: FaultableArea,
  handler: RequestHandler,
  dependencies: { injector: FaultInjector; renderError: FaultErrorRenderer },
): RequestHandler {
  const { injector, renderError } = dependencies;
  return (request, response) => {
    const decision = injector.draw(area);
    if (!decision) {
      handler(request, response);
      return;
    }
    annotateRequest(request, { fault: decision.kind });
    if (decision.kind === "latency") {
      const timer = setTimeout(() => handler(request, response), decision.delayInMs);
      // If the client gives up or the emulator closes, there is nothing left to serve.
      response.once("close", () => clearTimeout(timer));
      return;
    }
    // The request is not served: read and discard its body so the client is not reset mid-upload.
    discardRequestBody(request);
    switch (decision.kind) {
      case "reset":
        dropConnection(request.socket);
        return;
      case "stall":
        // Hold the connection open without answering until the client gives up or we close.
        return;
      case "truncate": {
        const rendered = renderError(request, { kind: decision.kind, status: 500 });
        const body = Buffer.from(rendered.body, "utf8");
        response.writeHead(rendered.status, { ...rendered.headers, "Content-Length": body.length });
        response.write(body.subarray(0, Math.floor(body.length / 2)), () => response.destroy());
        return;
      }
      default: {
        const status = decision.kind === "500" ? 500 : decision.kind === "504" ? 504 : 503;
        const retryAfterSeconds = decision.kind === "503-retry-after" ? injector.current.retryAfterSeconds : undefined;
        sendRendered(
          response,
          renderError(
            request,
            retryAfterSeconds === undefined ? { kind: decision.kind, status } : { kind: decision.kind, status, retryAfterSeconds },
          ),
        );
      }
    }
  };
}

/**
 * Drops the connection without an answer. Over plain TCP that is a reset (RST). Node cannot reset a
 * TLS connection (its handle is TLS's, and `resetAndDestroy` throws on it), so a TLS connection is
 * destroyed without TLS's closing handshake instead, which clients report alike ("socket hang up",
 * ECONNRESET).
 */
function dropConnection(socket: Socket): void {
  if (socket instanceof TLSSocket) socket.destroy();
  else socket.resetAndDestroy();
}
