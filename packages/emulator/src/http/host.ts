import type { IncomingMessage, Server, ServerResponse } from "node:http";
import type { Duplex } from "node:stream";
import type { EmulatorLogger } from "../logger.js";
import { discardRequestBody } from "./incomingRequest.js";
import { nodeHttp } from "./loopback.js";
import { problemWithRequest } from "./requestTarget.js";
import { annotateRequest } from "./requestLog.js";

// The skeleton every host (Graph, login, admin, target) serves requests with. A host brings its
// format (below) and a `serve` function that writes the answer or throws; everything around that,
// the error answer, the internal error, the unread body, an answer already started, is done here once.

export type RequestHandler = (request: IncomingMessage, response: ServerResponse) => void;

/** A complete answer (status, headers, body) built before it is sent, so it can also be mangled. */
export interface RenderedResponse {
  status: number;
  headers: Record<string, string | number>;
  body: string;
}

/** Sends a rendered answer with an exact Content-Length. */
export function sendRendered(response: ServerResponse, rendered: RenderedResponse): void {
  response.writeHead(rendered.status, { ...rendered.headers, "Content-Length": Buffer.byteLength(rendered.body) });
  response.end(rendered.body);
}

/** Sends `body` as JSON with an exact Content-Length, after the host's `headers`. */
export function sendJson(response: ServerResponse, status: number, body: unknown, headers: Readonly<Record<string, string>> = {}): void {
  const rendered = { status, headers: { ...headers, "Content-Type": "application/json; charset=utf-8" }, body: JSON.stringify(body) };
  sendRendered(response, rendered);
}

/**
 * What makes a host's answers its own: the facts it keeps for each request (correlation ids and
 * the headers every answer carries), the errors it answers with, and how it writes them.
 */
export interface HostFormat<Context, Failure> {
  /** Names the host in log lines. */
  readonly name: string;
  /** The request's facts; `undefined` stands for a request Node could not even parse. */
  createContext(request: IncomingMessage | undefined): Context;
  /** `error` as one of the host's own answers, or `undefined` when it is not one (then it is a bug). */
  failureOf(error: unknown): Failure | undefined;
  /** The answer to a bug: a 500 in the host's format. */
  internalFailure(error: unknown): Failure;
  /** The host's 4xx for a request it refuses before routing (see http/requestTarget.ts). */
  requestFailure(status: number, message: string): Failure;
  /** What the request log records as the answer's error code. */
  errorCodeOf(failure: Failure): string;
  render(failure: Failure, context: Context): RenderedResponse;
}

/**
 * A request handler running `serve` for each request the host can route (see
 * {@link problemWithRequest}; the others get the host's 4xx). What `serve` throws is answered in the
 * host's format; anything that is not one of the host's errors is logged (it is a bug) and answered
 * as the host's 500. The unread rest of the body is discarded so the client can read the answer, and
 * if an answer had already started, the connection is closed instead: a second one cannot be sent.
 */
export function serveRequests<Context, Failure>(
  format: HostFormat<Context, Failure>,
  serve: (request: IncomingMessage, response: ServerResponse, context: Context) => Promise<void>,
  logger: EmulatorLogger,
): RequestHandler {
  return (request, response) => {
    const context = format.createContext(request);
    const problem = problemWithRequest(request);
    if (problem !== undefined) {
      discardRequestBody(request);
      sendFailure(request, response, format, format.requestFailure(problem.status, problem.message), context);
      return;
    }
    serve(request, response, context).catch((error: unknown) => {
      discardRequestBody(request);
      const failure = format.failureOf(error);
      if (failure === undefined) logger(`${format.name} internal error: ${error instanceof Error ? error.message : String(error)}`);
      if (response.headersSent) {
        response.destroy();
        return;
      }
      sendFailure(request, response, format, failure ?? format.internalFailure(error), context);
    });
  };
}

/** Answers `failure` in the host's format, and records its error code for the request log. */
function sendFailure<Context, Failure>(
  request: IncomingMessage,
  response: ServerResponse,
  format: HostFormat<Context, Failure>,
  failure: Failure,
  context: Context,
): void {
  annotateRequest(request, { errorCode: format.errorCodeOf(failure) });
  sendRendered(response, format.render(failure, context));
}

/**
 * Answers requests Node's HTTP parser rejects (bad framing, oversized headers, timeouts) in the
 * host's error format instead of Node's bare `400 Bad Request`, so that even a broken client sees a
 * well-formed Graph or Entra error.
 */
export function answerMalformedRequests<Context, Failure>(server: Server, format: HostFormat<Context, Failure>): void {
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
    const rendered = format.render(format.requestFailure(status, message), format.createContext(undefined));
    const headers = Object.entries({ ...rendered.headers, "Content-Length": Buffer.byteLength(rendered.body), Connection: "close" })
      .map(([name, value]) => `${name}: ${value}`)
      .join("\r\n");
    socket.end(`HTTP/1.1 ${status} ${nodeHttp.STATUS_CODES[status] ?? ""}\r\nDate: ${new Date().toUTCString()}\r\n${headers}\r\n\r\n${rendered.body}`);
  });
}
