import type { IncomingHttpHeaders } from "node:http";

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
