import type { IncomingMessage } from "node:http";

// What every host checks of a request before routing it, and how it reads the request's URL. Node's
// own Host check answers an empty 400 (not in any host's format), and resolving the request target
// against a base URL, as `new URL(target, base)` does, reads `//x:99999/token` as an authority (and
// fails on it with "Invalid URL") and turns `/%2e%2e/state` into `/state`. A request target is a
// path as sent; it is never resolved.

/** Why a host refuses a request before routing it: a 4xx it answers in its own format. */
export interface RequestProblem {
  status: 400;
  message: string;
}

/** A path segment that is `.` or `..`, percent-encoded or not (`%2e`, `.%2E`, …). */
const dotSegment = /^(?:\.|%2e){1,2}$/i;

/**
 * What is wrong with the request as a request to this host, or `undefined`: no `Host` header on
 * HTTP/1.1 (RFC 9112 §3.2 requires one), a request target that is not a path (the absolute form
 * `http://…` or `*`: no host here is a proxy), or a path with dot segments (no host has paths
 * with them; a client that sends them means another path than the one it names, and normalising
 * them would serve it anyway).
 */
export function problemWithRequest(request: IncomingMessage): RequestProblem | undefined {
  if (request.httpVersion !== "1.0" && request.headers.host === undefined) {
    return { status: 400, message: "The request has no Host header, which HTTP/1.1 requires." };
  }
  const target = request.url ?? "";
  if (!target.startsWith("/")) {
    return { status: 400, message: "The request target is not a path: send the path of an endpoint (origin form, e.g. '/token'); this host is not a proxy." };
  }
  const path = target.split("?", 1)[0] ?? "";
  if (path.split("/").some((segment) => dotSegment.test(segment))) {
    return { status: 400, message: "The request path has a '.' or '..' segment (encoded or not): send the endpoint's path itself." };
  }
  return undefined;
}

/**
 * The request's URL with its path exactly as sent (`//x:99999/token` is a path of three segments),
 * for hosts that route on `pathname` and read `searchParams`. Call it after
 * {@link problemWithRequest} has found nothing wrong.
 */
export function urlOfRequest(request: IncomingMessage): URL {
  return new URL(`http://request.invalid${request.url ?? "/"}`);
}
