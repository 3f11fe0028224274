/**
 * Error bodies are read for their message, and a server (or a proxy in between) decides how long
 * they are: a 300 MB or never-ending body must not become 300 MB (or more) of memory. This is the
 * limit on what is kept of an error body; Graph's error envelopes are a few hundred bytes.
 */
export const MAX_ERROR_BODY_BYTES = 1024 * 1024;

/** What {@link readBoundedBody} kept of a body: its first bytes, and whether there was more. */
export interface BoundedBody {
  /** At most the limit's worth of the body, from its start. */
  readonly bytes: Uint8Array;
  /** True when the body went on past the limit; the rest was neither read nor kept. */
  readonly truncated: boolean;
}

/**
 * Reads a body as a stream up to `maxBytes`, then cancels it (which closes the connection rather
 * than downloading the rest). A body that fits is read whole, so the connection can be reused.
 */
export async function readBoundedBody(body: ReadableStream<Uint8Array> | null, maxBytes: number): Promise<BoundedBody> {
  if (body === null) return { bytes: new Uint8Array(0), truncated: false };
  const reader = body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  let truncated = false;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      const room = maxBytes - size;
      if (value.byteLength > room) {
        if (room > 0) chunks.push(value.subarray(0, room));
        size += Math.max(room, 0);
        truncated = true;
        break;
      }
      chunks.push(value);
      size += value.byteLength;
    }
  } finally {
    // On overflow (or a failed read) stop the transfer; after a complete read this is a no-op.
    reader.cancel().catch(() => undefined);
    reader.releaseLock();
  }
  const bytes = new Uint8Array(size);
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return { bytes, truncated };
}

/**
 * The same response with a body that ends after `maxBytes`: whatever reads it (Kiota drains the
 * body of every answer it does not parse) gets at most that much, and the rest is not downloaded
 * (the source is cancelled, which closes the connection). For answers whose body nobody needs.
 */
export function withBoundedBody(response: Response, maxBytes: number): Response {
  if (response.body === null) return response;
  const reader = response.body.getReader();
  let size = 0;
  const body = new ReadableStream<Uint8Array>({
    async pull(controller) {
      const { done, value } = await reader.read();
      if (done) return controller.close();
      const room = maxBytes - size;
      if (value.byteLength > room) {
        if (room > 0) controller.enqueue(value.subarray(0, room));
        size = maxBytes;
        controller.close();
        await reader.cancel();
        return;
      }
      size += value.byteLength;
      controller.enqueue(value);
    },
    cancel(reason) {
      return reader.cancel(reason);
    },
  });
  const bounded = new Response(body, { status: response.status, statusText: response.statusText, headers: response.headers });
  // Response's constructor cannot set `url`; the adapter and callers read it for diagnostics.
  Object.defineProperty(bounded, "url", { value: response.url });
  return bounded;
}
