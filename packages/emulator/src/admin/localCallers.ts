import type { IncomingMessage } from "node:http";
import { isLoopbackAddress } from "../http/loopback.js";

/**
 * Why a request to the admin API does not come from a program on this machine, or `undefined` when
 * it does. The admin API resets and reveals the emulator's state, so besides listening on 127.0.0.1
 * it checks each request:
 * - the peer is a loopback address (a second lock, should the port ever be forwarded);
 * - the Host header names a loopback host: a web page that rebinds its own domain to 127.0.0.1 (DNS
 *   rebinding) still sends its own domain;
 * - a browser's Origin, when there is one, is a loopback origin, so a page elsewhere cannot make the
 *   browser `POST /reset` (a form post needs no CORS preflight).
 */
export function whyNotLocal(request: IncomingMessage): string | undefined {
  if (!isLoopbackAddress(request.socket.remoteAddress)) {
    return "The admin API answers only clients on this machine.";
  }
  if (headerCount(request, "host") > 1) return "The request has more than one Host header.";
  const host = request.headers.host;
  if (host !== undefined && !loopbackHost.test(host)) {
    return `The admin API answers only requests addressed to this machine (localhost, 127.0.0.1, [::1]), not to '${host.slice(0, 100)}'.`;
  }
  if (headerCount(request, "origin") > 1) return "The request has more than one Origin header.";
  const origin = request.headers.origin;
  if (origin !== undefined && !loopbackOrigin.test(origin)) {
    return `The admin API does not answer requests from web pages of other origins ('${origin.slice(0, 100)}').`;
  }
  return undefined;
}

/**
 * A Host header naming this machine: a loopback name or address and an optional port, and nothing
 * else. Parsing it as a URL instead would read `evil@localhost` (user info) or `localhost#x` (a
 * fragment) as `localhost`.
 */
const loopbackHost = /^(?:localhost|127(?:\.\d{1,3}){3}|\[::1\])(?::\d{1,5})?$/i;
/** An Origin of a page served from this machine, in the same strict form. */
const loopbackOrigin = /^https?:\/\/(?:localhost|127(?:\.\d{1,3}){3}|\[::1\])(?::\d{1,5})?$/i;

/** How many times the header `name` (lower case) appears; Node keeps only the first Host. */
function headerCount(request: IncomingMessage, name: string): number {
  let count = 0;
  for (let index = 0; index < request.rawHeaders.length; index += 2) {
    if (request.rawHeaders[index]!.toLowerCase() === name) count += 1;
  }
  return count;
}
