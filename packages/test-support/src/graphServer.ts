// A tiny Graph stand-in on 127.0.0.1 for tests that need exact control over each answer (statuses,
// headers, bodies, stalls, resets), and see each request as it crossed the socket. Tests of the
// whole flow use the emulator instead.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo, Socket } from "node:net";
import { afterAll, beforeEach } from "vitest";

export interface RecordedRequest {
  method: string;
  /** The request target as it arrived on the wire (path and query, still percent-encoded). */
  url: string;
  headers: IncomingMessage["headers"];
  body: string;
}

/** Answers one request. Return nothing after handling `res` yourself (or destroying the socket). */
export type Handler = (request: RecordedRequest, res: ServerResponse) => void | Promise<void>;

export interface GraphServer {
  readonly url: string;
  readonly requests: RecordedRequest[];
  /** Queues handlers for the next requests, in order; when the queue is empty `fallback` answers. */
  enqueue(...handlers: Handler[]): void;
  /** Answers every request with `handler` once the queue is empty, instead of `fallback`, until reset. */
  answerWith(handler: Handler): void;
  /** Forgets recorded requests, queued handlers and answerWith (call between tests). */
  reset(): void;
  close(): Promise<void>;
}

export async function startGraphServer(fallback: Handler = noContent()): Promise<GraphServer> {
  const queue: Handler[] = [];
  let standing = fallback;
  const requests: RecordedRequest[] = [];
  const sockets = new Set<Socket>();
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      const recorded: RecordedRequest = {
        method: req.method ?? "",
        url: req.url ?? "",
        headers: req.headers,
        body: Buffer.concat(chunks).toString("utf8"),
      };
      requests.push(recorded);
      const handler = queue.shift() ?? standing;
      Promise.resolve(handler(recorded, res)).catch((error: unknown) => {
        res.destroy(error instanceof Error ? error : new Error(String(error)));
      });
    });
  });
  server.on("connection", (socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    enqueue: (...handlers) => queue.push(...handlers),
    answerWith: (handler) => {
      standing = handler;
    },
    reset: () => {
      queue.length = 0;
      requests.length = 0;
      standing = fallback;
    },
    close: async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

export function noContent(headers: Record<string, string> = {}): Handler {
  return (_request, res) => {
    res.writeHead(204, { "request-id": "req-204", ...headers });
    res.end();
  };
}

/** Graph's error envelope with the usual headers. */
export function graphError(
  status: number,
  code: string,
  message: string,
  headers: Record<string, string> = {},
): Handler {
  return (request, res) => {
    const clientRequestId = String(request.headers["client-request-id"] ?? "");
    res.writeHead(status, {
      "content-type": "application/json",
      "request-id": `req-${status}`,
      date: "Mon, 23 Nov 2026 10:00:00 GMT",
      ...(clientRequestId && { "client-request-id": clientRequestId }),
      ...headers,
    });
    res.end(
      JSON.stringify({
        error: {
          code,
          message,
          innerError: { date: "2026-11-23T10:00:00", "request-id": `req-${status}`, "client-request-id": clientRequestId },
        },
      }),
    );
  };
}

/** Any status with a raw body and content type (or none). */
export function rawAnswer(status: number, body: string, contentType?: string, headers: Record<string, string> = {}): Handler {
  return (_request, res) => {
    res.writeHead(status, { ...(contentType && { "content-type": contentType }), ...headers });
    res.end(body);
  };
}

/** Never answers; the socket stays open until the client gives up or the server closes. */
export function stall(): Handler {
  return () => undefined;
}

/** Reads the request, then drops the connection without a word: "may have been processed". */
export function resetConnection(): Handler {
  return (_request, res) => {
    res.socket?.destroy();
  };
}

/**
 * One server for a whole test file (use with top-level await): closed after the file, and its
 * recorded requests and queued answers cleared before each test.
 */
export async function useGraphServer(fallback?: Handler): Promise<GraphServer> {
  const server = await startGraphServer(fallback);
  afterAll(() => server.close());
  beforeEach(() => server.reset());
  return server;
}
