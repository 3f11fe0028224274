import type { ServerResponse } from "node:http";

/** A complete answer (status, headers, body) built before it is sent, so it can also be mangled. */
export interface RenderedResponse {
  status: number;
  headers: Record<string, string | number>;
  body: string;
}

/** Sends a rendered answer with an exact Content-Length. */
export function sendRendered(response: ServerResponse, rendered: RenderedResponse): void {
  response.writeHead(rendered.status, { ...rendered.headers, "Content-Length": Buffer.byteLength(rendered.body) });
  response.end(rendered.body);
}
