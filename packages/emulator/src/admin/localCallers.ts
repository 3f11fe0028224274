import type { IncomingMessage } from "node:http";
import { isLoopbackAddress, isLoopbackHostname } from "../http/loopbackAddresses.js";

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
  const host = request.headers.host;
  if (host !== undefined && !isLoopbackUrl(`http://${host}`)) {
    return `The admin API answers only requests addressed to this machine (localhost, 127.0.0.1, [::1]), not to '${host.slice(0, 100)}'.`;
  }
  const origin = request.headers.origin;
  if (origin !== undefined && !isLoopbackUrl(origin)) {
    return `The admin API does not answer requests from web pages of other origins ('${origin.slice(0, 100)}').`;
  }
  return undefined;
}

function isLoopbackUrl(value: string): boolean {
  return URL.canParse(value) && isLoopbackHostname(new URL(value).hostname);
}
