import type { IncomingMessage } from "node:http";

/** The request body was larger than allowed. */
export class RequestBodyTooLargeError extends Error {
  override readonly name = "RequestBodyTooLargeError";
  constructor(readonly limitInBytes: number) {
    super(`The request body exceeds the limit of ${limitInBytes} bytes.`);
  }
}

/**
 * Reads the whole request body, refusing more than `limitInBytes`. An oversized body is refused as
 * soon as its declared length or the bytes read so far exceed the limit; the rest is drained in
 * the background, so the client can read the error instead of seeing its upload reset.
 */
export function readRequestBody(request: IncomingMessage, limitInBytes: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const declared = Number(request.headers["content-length"]);
    if (Number.isFinite(declared) && declared > limitInBytes) {
      request.resume();
      reject(new RequestBodyTooLargeError(limitInBytes));
      return;
    }
    const chunks: Buffer[] = [];
    let received = 0;
    const onData = (chunk: Buffer) => {
      received += chunk.length;
      if (received > limitInBytes) {
        // Stop collecting but keep the stream flowing, discarding the rest.
        request.off("data", onData);
        request.off("end", onEnd);
        request.resume();
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
