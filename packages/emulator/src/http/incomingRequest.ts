import type { IncomingHttpHeaders, IncomingMessage } from "node:http";

// What the emulator reads from a client's request, always bounded: the body (or discarding it), the
// media type it declares, and the client-request-id that may be echoed back.

/** The request body was larger than allowed. */
export class RequestBodyTooLargeError extends Error {
  override readonly name = "RequestBodyTooLargeError";
  constructor(readonly limitInBytes: number) {
    super(`The request body exceeds the limit of ${limitInBytes} bytes.`);
  }
}

/**
 * How much of a body that is not used (one over the limit, or one of a request answered before its
 * body was needed) is read and discarded before the connection is closed instead. Closing while the
 * client is still sending makes its kernel reset the connection, and most clients then report EPIPE
 * or ECONNRESET instead of the answer; reading on lets them see it. The bound keeps a client from
 * making the emulator read without end.
 */
export const discardLimits = { bytes: 64 * 1024 * 1024, timeInMs: 5_000 } as const;

/**
 * Reads the whole request body, refusing more than `limitInBytes`. An oversized body is refused as
 * soon as its declared length or the bytes read so far exceed the limit; the rest is discarded
 * (see {@link discardRequestBody}), so the client can read the error instead of seeing its upload reset.
 */
export function readRequestBody(request: IncomingMessage, limitInBytes: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const declared = Number(request.headers["content-length"]);
    if (Number.isFinite(declared) && declared > limitInBytes) {
      discardRequestBody(request);
      reject(new RequestBodyTooLargeError(limitInBytes));
      return;
    }
    const chunks: Buffer[] = [];
    let received = 0;
    const onData = (chunk: Buffer) => {
      received += chunk.length;
      if (received > limitInBytes) {
        // Stop collecting; the rest is discarded.
        request.off("data", onData);
        request.off("end", onEnd);
        discardRequestBody(request);
        reject(new RequestBodyTooLargeError(limitInBytes));
        return;
      }
      chunks.push(chunk);
    };
    const onEnd = () => resolve(Buffer.concat(chunks));
    request.on("data", onData);
    request.once("end", onEnd);
    request.once("error", reject);
  });
}

/**
 * Reads a body of at most `limitInBytes` as an `application/x-www-form-urlencoded` form, as OAuth
 * endpoints take their parameters; a body of any other media type reads as a form without
 * parameters. Throws {@link RequestBodyTooLargeError} past the limit.
 */
export async function readFormBody(request: IncomingMessage, limitInBytes: number): Promise<URLSearchParams> {
  const body = await readRequestBody(request, limitInBytes);
  return mediaTypeOf(request.headers["content-type"]) === "application/x-www-form-urlencoded"
    ? new URLSearchParams(body.toString("utf8"))
    : new URLSearchParams();
}

/**
 * Reads and throws away what remains of a request's body, so the connection stays usable and the
 * client can read the answer; past {@link discardLimits} the connection is closed. Safe to call
 * more than once, and on a request whose body was read already.
 */
export function discardRequestBody(request: IncomingMessage): void {
  if (discarding.has(request)) return;
  discarding.add(request);
  if (request.complete) return;
  let discarded = 0;
  const cutOff = () => {
    clearTimeout(timer);
    request.off("data", onData);
    request.socket.destroy();
  };
  const onData = (chunk: Buffer) => {
    discarded += chunk.length;
    if (discarded > discardLimits.bytes) cutOff();
  };
  const timer = setTimeout(cutOff, discardLimits.timeInMs);
  timer.unref();
  request.on("data", onData);
  request.once("close", () => clearTimeout(timer));
  request.once("end", () => clearTimeout(timer));
  request.resume();
}

const discarding = new WeakSet<IncomingMessage>();

/**
 * The media type of a Content-Type header without parameters, lower-cased
 * (`application/json; charset=utf-8` → `application/json`), or `undefined` when there is none.
 */
export function mediaTypeOf(contentType: string | undefined): string | undefined {
  const essence = contentType?.split(";", 1)[0]?.trim().toLowerCase();
  return essence ? essence : undefined;
}

/** Longest client-request-id echoed back. */
const maxClientRequestIdLength = 128;

/**
 * The caller's `client-request-id` when it can be echoed back safely (printable ASCII of sane
 * length), otherwise `undefined` and the service makes up its own.
 */
export function echoableClientRequestId(headers: IncomingHttpHeaders): string | undefined {
  const sent = headers["client-request-id"];
  return typeof sent === "string" && sent.length > 0 && sent.length <= maxClientRequestIdLength && /^[\x20-\x7e]+$/.test(sent)
    ? sent
    : undefined;
}
