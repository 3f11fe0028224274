import { STATUS_CODES } from "node:http";
import { Readable } from "node:stream";
import type { Agent, Dispatcher } from "undici";
// undici's index loads all of undici (fetch, WebSocket, caches, mocks, proxies): about four times
// the load time, and twice the bundle, of the Agent and the request API the transport uses. These
// are the files that define them (undici has no exports map, and is pinned to an exact version).
// undici publishes types for its index only; these are the class and the function it exports there.
// @ts-expect-error TS7016: no declaration file for this path
import agentModule from "undici/lib/dispatcher/agent.js";
// @ts-expect-error TS7016: no declaration file for this path
import requestModule from "undici/lib/api/api-request.js";
import type { FetchLike } from "../models.js";

const AgentClass = agentModule as typeof Agent;
/** Dispatcher.prototype.request, as undici's index installs it: called with the dispatcher as `this`. */
const requestThrough = requestModule as (this: Dispatcher, options: Dispatcher.RequestOptions) => Promise<Dispatcher.ResponseData>;

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
 *   code: ECONNREFUSED, UND_ERR_SOCKET, …), so the SDK's rules for what may be retried, including
 *   a keep-alive connection reset before any answer, are the same for both. undici retries only
 *   idempotent requests on such a reset, never this POST: the SDK decides.
 * - Redirects are not followed (undici's request does not follow them), as the SDK asks.
 * - The body is handed on as a stream: the SDK reads it with its byte limits.
 */
export function createUndiciFetch(agent: Agent): FetchLike {
  return async (input, init) => {
    const url = new URL(input);
    let answer: Dispatcher.ResponseData;
    try {
      answer = await requestThrough.call(agent, {
        origin: url.origin,
        path: `${url.pathname}${url.search}`,
        method: (init.method ?? "GET") as Dispatcher.HttpMethod,
        headers: toHeaderRecord(init.headers),
        body: toBody(init.body),
        signal: init.signal ?? undefined,
      });
    } catch (error) {
      if (init.signal?.aborted) throw init.signal.reason;
      throw new TypeError("fetch failed", { cause: error });
    }
    const headers = toHeaders(answer.headers);
    // undici's request does not pass on the reason phrase (HTTP/2 has none): the standard one, as errors show it.
    const status = answer.statusCode;
    const statusText = STATUS_CODES[status] ?? "";
    if (nullBodyStatuses.has(status)) {
      // Nothing to read; consumed (not destroyed, which would abort the request) so the connection is reused.
      await answer.body.dump().catch(ignore);
      return new Response(null, { status, statusText, headers });
    }
    // A Response's body must be a web stream; a 200 with an empty body still is one (as with fetch).
    return new Response(Readable.toWeb(answer.body) as ReadableStream<Uint8Array>, { status, statusText, headers });
  };
}

function ignore(): void {}

let sharedAgent: Agent | undefined;

/**
 * The transport of every client that was given no `fetch`: one pool per origin for the process, so
 * creating many clients does not multiply connections. Idle connections do not keep the process
 * alive (undici unreferences them).
 */
export function sharedUndiciFetch(): FetchLike {
  sharedAgent ??= new AgentClass({ connections: MAX_CONNECTIONS_PER_ORIGIN });
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

function toHeaders(raw: Record<string, string | string[] | undefined>): Headers {
  const headers = new Headers();
  for (const [name, value] of Object.entries(raw)) {
    if (value === undefined) continue;
    if (Array.isArray(value)) for (const item of value) headers.append(name, item);
    else headers.append(name, value);
  }
  return headers;
}
