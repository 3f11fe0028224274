import { STATUS_CODES } from "node:http";
import { Readable } from "node:stream";
import { Agent, type Dispatcher } from "undici";
import { TRANSPORT_FACTS } from "../constants.js";
import type { TransportFacts } from "../failures/callFacts.js";
import type { FetchLike } from "../models.js";

/** Connections kept per origin (Graph is one origin): enough for a busy client, never unbounded. */
export const MAX_CONNECTIONS_PER_ORIGIN = 16;

/**
 * The SDK's default transport: a `fetch`-compatible function over an undici `Agent`, which keeps a
 * pool of keep-alive connections per origin (at most {@link MAX_CONNECTIONS_PER_ORIGIN}), with TLS
 * (Node's default CAs and `NODE_EXTRA_CA_CERTS`) for Graph.
 *
 * Why not the global `fetch`: it is undici too, but each call pays for the WHATWG machinery
 * (Request objects, header guards, body mixins, stream teeing), about half of the client's CPU per
 * call. `Agent.request` skips that; the SDK gets a standard `Response` back all the same, so the
 * rest of the call path (bounded body reads, ErrorBodyHandler, Kiota) is the one a caller-supplied
 * `fetch` goes through.
 *
 * - Abort and timeouts: the attempt's `signal` (caller's abort, deadline, attempt limit) goes to
 *   undici, which stops the request and destroys its socket.
 * - Errors look like `fetch`'s: a TypeError "fetch failed" whose `cause` is undici's error (with its
 *   code: ECONNREFUSED, UND_ERR_SOCKET, …), and they carry what the transport knows as facts
 *   ({@link TRANSPORT_FACTS}): whether the request was written in full (undici's dispatch handler
 *   hook `onRequestSent`, through an interceptor) and whether the peer closed the connection in
 *   order. The retry decision (retry/retryDecision.ts) rests on them: a connection that broke
 *   before the request was written is sent again, whatever its error says. undici retries only
 *   idempotent requests on its own, never this POST: the SDK decides.
 * - undici through its public entry point only (`Agent`, `Dispatcher.compose`, `request`): no
 *   internal file paths, which change in patch releases (bench/README.md, "The transport").
 * - Redirects are not followed (undici's request does not follow them), as the SDK asks.
 * - The body is handed on as a stream: the SDK reads it with its byte limits.
 */
export function createUndiciFetch(agent: Dispatcher): FetchLike {
  const dispatcher = agent.compose(recordRequestSent);
  return async (input, init) => {
    const url = new URL(input);
    const facts: TransportFacts = { written: false, peerClosed: false };
    let answer: Dispatcher.ResponseData;
    try {
      answer = await dispatcher.request({
        origin: url.origin,
        path: `${url.pathname}${url.search}`,
        method: (init.method ?? "GET") as Dispatcher.HttpMethod,
        headers: toHeaderRecord(init.headers),
        body: toBody(init.body),
        signal: init.signal ?? undefined,
        [FACTS_OPTION]: facts,
      } as Dispatcher.RequestOptions);
    } catch (error) {
      if (init.signal?.aborted) throw init.signal.reason;
      // "other side closed" is undici's word for the peer's FIN; a reset comes as ECONNRESET.
      facts.peerClosed = (error as { code?: unknown }).code === "UND_ERR_SOCKET";
      throw Object.assign(new TypeError("fetch failed", { cause: error }), { [TRANSPORT_FACTS]: facts });
    }
    // undici's request does not pass on the reason phrase (HTTP/2 has none): the standard one, as errors show it.
    const status = answer.statusCode;
    const statusText = STATUS_CODES[status] ?? "";
    let response: Response;
    if (nullBodyStatuses.has(status)) {
      // Nothing to read; consumed (not destroyed, which would abort the request) so the connection is reused.
      try {
        await answer.body.dump();
      } catch {
        // The answer is complete without its body; a failure to drain it changes nothing.
      }
      response = new Response(null, { status, statusText });
    } else {
      // A Response's body must be a web stream; a 200 with an empty body still is one (as with fetch).
      response = new Response(Readable.toWeb(answer.body) as ReadableStream<Uint8Array>, { status, statusText });
    }
    // Into the Response's own headers: a Headers built first would be copied into it again (twice the work per call).
    appendHeaders(response.headers, answer.headers);
    return response;
  };
}

/** Where the transport's facts of one request ride through undici's dispatch options. */
const FACTS_OPTION = Symbol("graph-sync transport facts");

/**
 * An undici interceptor (`Dispatcher.compose`) that notes when a request has been written in full
 * to its connection: undici's dispatch handler hook `onRequestSent`. A request that failed without
 * it was never on the wire, whatever the error says.
 */
function recordRequestSent(dispatch: Dispatcher["dispatch"]): Dispatcher["dispatch"] {
  return (options, handler) => {
    const facts = (options as { [FACTS_OPTION]?: TransportFacts })[FACTS_OPTION];
    return dispatch(options, facts ? (new RequestSentHandler(handler as LegacyHandler, facts) as unknown as Dispatcher.DispatchHandler) : handler);
  };
}

/** The handler API undici's request calls (its RequestHandler implements it). */
type LegacyHandler = Dispatcher.DispatchHandler & Record<string, ((...args: never[]) => unknown) | undefined>;

/** Hands every event on to undici's own handler, noting `onRequestSent` on the way. */
class RequestSentHandler {
  constructor(
    private readonly handler: LegacyHandler,
    private readonly facts: TransportFacts,
  ) {}
  onConnect(...args: unknown[]): unknown {
    return this.forward("onConnect", args);
  }
  onResponseStarted(): unknown {
    return this.forward("onResponseStarted", []);
  }
  onHeaders(...args: unknown[]): unknown {
    return this.forward("onHeaders", args);
  }
  onData(...args: unknown[]): unknown {
    return this.forward("onData", args);
  }
  onComplete(...args: unknown[]): unknown {
    return this.forward("onComplete", args);
  }
  onError(...args: unknown[]): unknown {
    return this.forward("onError", args);
  }
  onUpgrade(...args: unknown[]): unknown {
    return this.forward("onUpgrade", args);
  }
  onBodySent(...args: unknown[]): unknown {
    return this.forward("onBodySent", args);
  }
  onRequestSent(): unknown {
    this.facts.written = true;
    return this.forward("onRequestSent", []);
  }
  private forward(name: string, args: unknown[]): unknown {
    const method = this.handler[name] as ((...forwarded: unknown[]) => unknown) | undefined;
    return method?.apply(this.handler, args);
  }
}

let sharedAgent: Agent | undefined;

/**
 * The transport of every client that was given no `fetch`: one pool per origin for the process, so
 * creating many clients does not multiply connections. Idle connections do not keep the process
 * alive (undici unreferences them).
 */
export function sharedUndiciFetch(): FetchLike {
  sharedAgent ??= new Agent({ connections: MAX_CONNECTIONS_PER_ORIGIN });
  return createUndiciFetch(sharedAgent);
}

/** Statuses whose responses cannot carry a body (the Response constructor rejects one). */
const nullBodyStatuses = new Set([101, 103, 204, 205, 304]);

function toHeaderRecord(headers: RequestInit["headers"]): Record<string, string> | undefined {
  if (headers === undefined || headers === null) return undefined;
  if (headers instanceof Headers || Array.isArray(headers)) return Object.fromEntries(new Headers(headers));
  // Kiota's adapter passes a plain object with lower-case names: used as it is.
  return headers as Record<string, string>;
}

function toBody(body: RequestInit["body"]): string | Uint8Array | undefined {
  if (body === undefined || body === null) return undefined;
  if (typeof body === "string" || body instanceof Uint8Array) return body;
  if (body instanceof ArrayBuffer) return new Uint8Array(body);
  if (ArrayBuffer.isView(body)) return new Uint8Array(body.buffer, body.byteOffset, body.byteLength);
  // Kiota sends this action's JSON as an ArrayBuffer; any other form is a programming error here.
  throw new TypeError(`the SDK's transport cannot send a body of type ${Object.prototype.toString.call(body)}`);
}

function appendHeaders(headers: Headers, raw: Record<string, string | string[] | undefined>): void {
  for (const name of Object.keys(raw)) {
    const value = raw[name];
    if (value === undefined) continue;
    if (Array.isArray(value)) for (const item of value) headers.append(name, item);
    else headers.append(name, value);
  }
}
