import { STATUS_CODES } from "node:http";
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
 * call. Here one handler of the SDK's own ({@link AnswerHandler}) is dispatched on the agent and
 * builds the standard `Response` itself, so the rest of the call path (bounded body reads,
 * ErrorBodyHandler, Kiota) is the one a caller-supplied `fetch` goes through.
 *
 * - Abort and timeouts: the attempt's `signal` (caller's abort, deadline, attempt limit) aborts the
 *   request, which destroys its socket, and errors its body stream with the signal's reason.
 * - Errors look like `fetch`'s: a TypeError "fetch failed" whose `cause` is undici's error (with its
 *   code: ECONNREFUSED, UND_ERR_SOCKET, …), and they carry what the transport knows as facts
 *   ({@link TRANSPORT_FACTS}): whether the request was written in full (undici's dispatch handler
 *   hook `onRequestSent`) and whether the peer closed the connection in order. The retry decision
 *   (retry/retryDecision.ts) rests on them: a connection that broke before the request was written
 *   is sent again, whatever its error says. undici retries only idempotent requests on its own,
 *   never this POST: the SDK decides.
 * - undici through its public entry point only (`Agent`, `Dispatcher.dispatch` and its handler
 *   API): no internal file paths, which change in patch releases (bench/README.md, "The transport").
 * - Redirects are not followed (a dispatch does not follow them), as the SDK asks.
 * - The body is handed on as a web stream with backpressure: the SDK reads it with its byte limits.
 */
export function createUndiciFetch(agent: Dispatcher): FetchLike {
  return (input, init) => {
    const signal = init.signal ?? undefined;
    if (signal?.aborted) return Promise.reject(signal.reason);
    return new Promise<Response>((resolve, reject) => {
      const url = new URL(input);
      const handler = new AnswerHandler(resolve, reject, signal);
      agent.dispatch(
        {
          origin: url.origin,
          path: `${url.pathname}${url.search}`,
          method: (init.method ?? "GET") as Dispatcher.HttpMethod,
          headers: toHeaderRecord(init.headers),
          body: toBody(init.body),
        },
        handler as unknown as Dispatcher.DispatchHandler,
      );
    });
  };
}

/**
 * One request's handler, in undici's dispatch handler API (`onConnect`, `onRequestSent`,
 * `onHeaders`, `onData`, `onComplete`, `onError`: the API undici's own request handler
 * implements, and the one through which `onRequestSent` arrives). It notes whether the request was
 * written, answers with a `Response` once the headers are in, and feeds the body into a web stream
 * that pauses the connection while its reader is behind. It also listens to the attempt's signal
 * (as the `handleEvent` of the listener: no closure per request).
 */
class AnswerHandler {
  private readonly facts: TransportFacts = { written: false, peerClosed: false };
  /** undici's abort of this request, once it is on a connection. */
  private abortRequest: ((reason: Error) => void) | undefined;
  /** undici's resume of a connection paused for this body. */
  private resumeBody: (() => void) | undefined;
  private body: ReadableStreamDefaultController<Uint8Array> | undefined;
  private done = false;

  constructor(
    private readonly resolve: (response: Response) => void,
    private readonly reject: (error: unknown) => void,
    private readonly signal: AbortSignal | undefined,
  ) {
    signal?.addEventListener("abort", this, { once: true });
  }

  /**
   * The attempt's signal fired: the request stops, its socket is destroyed (undici then calls
   * onError). A request still waiting for a connection (the pool's are busy, or it is being made)
   * fails at once: undici drops it when it reaches one (see onConnect), and the time limits do not
   * wait for that.
   */
  handleEvent(): void {
    if (this.done) return;
    if (this.abortRequest) return this.abortRequest(this.signal?.reason as Error);
    this.finish();
    this.reject(this.signal?.reason);
  }

  onConnect(abort: (reason: Error) => void): void {
    if (this.signal?.aborted) abort(this.signal.reason as Error);
    else this.abortRequest = abort;
  }

  onRequestSent(): void {
    this.facts.written = true;
  }

  onHeaders(status: number, rawHeaders: Buffer[], resume: () => void): boolean {
    // 1xx interim answers (100 Continue, 103 Early Hints) precede the answer itself.
    if (status < 200) return true;
    this.resumeBody = resume;
    // A reason phrase is optional (HTTP/2 has none): the standard one, as errors show it.
    const init = { status, statusText: STATUS_CODES[status] ?? "" };
    let response: Response;
    if (nullBodyStatuses.has(status)) {
      // Nothing to read; the connection is reused once undici sees the answer complete.
      response = new Response(null, init);
    } else {
      // A Response's body must be a web stream; a 200 with an empty body still is one (as with fetch).
      response = new Response(new ReadableStream<Uint8Array>(this, BODY_QUEUE), init);
    }
    // Into the Response's own headers: a Headers built first would be copied into it again.
    const { headers } = response;
    for (let i = 0; i + 1 < rawHeaders.length; i += 2) headers.append((rawHeaders[i] as Buffer).toString("latin1"), (rawHeaders[i + 1] as Buffer).toString("latin1"));
    this.resolve(response);
    return true;
  }

  /** The body stream's source: `start`, `pull` (the reader wants more: the connection resumes) and `cancel`. */
  start(controller: ReadableStreamDefaultController<Uint8Array>): void {
    this.body = controller;
  }

  pull(): void {
    this.resumeBody?.();
  }

  cancel(reason: unknown): void {
    // The reader gave up on the rest (a body over the SDK's limit): nothing more goes into the
    // stream, and the connection, with an answer half read, is not reused.
    this.body = undefined;
    if (!this.done) this.abortRequest?.(reason instanceof Error ? reason : new Error("the body was cancelled"));
  }

  /** A chunk of the body; false pauses the connection until the reader catches up (see pull). */
  onData(chunk: Buffer): boolean {
    const body = this.body;
    if (!body) return true;
    body.enqueue(chunk);
    return (body.desiredSize ?? 0) > 0;
  }

  onComplete(): void {
    this.finish();
    this.body?.close();
  }

  onError(error: Error): void {
    if (this.done) return;
    this.finish();
    const aborted = this.signal?.aborted ?? false;
    if (this.body) {
      // The answer had begun: its body stream fails, with the signal's reason when it fired.
      this.body.error(aborted ? this.signal?.reason : error);
      return;
    }
    if (aborted) return this.reject(this.signal?.reason);
    // "other side closed" is undici's word for the peer's FIN; a reset comes as ECONNRESET.
    this.facts.peerClosed = (error as { code?: unknown }).code === "UND_ERR_SOCKET";
    this.reject(Object.assign(new TypeError("fetch failed", { cause: error }), { [TRANSPORT_FACTS]: this.facts }));
  }

  private finish(): void {
    this.done = true;
    this.resumeBody = undefined;
    this.signal?.removeEventListener("abort", this);
  }
}

/** The body's queue: up to 64 KiB read ahead of its reader before the connection pauses. */
const BODY_QUEUE: QueuingStrategy<Uint8Array> = { highWaterMark: 64 * 1024, size: (chunk) => chunk.byteLength };

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
