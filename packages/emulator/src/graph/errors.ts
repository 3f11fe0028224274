import type { IncomingMessage, ServerResponse } from "node:http";
import { sendRendered, type RenderedResponse } from "../http/renderedResponse.js";
import { annotateRequest } from "../log/requestLog.js";
import type { GraphRequestContext } from "./graphRequestContext.js";

/**
 * An error Graph answers with: HTTP status, Graph error `code`, and a message. Thrown anywhere in a
 * Graph handler and turned into Graph's error envelope in one place.
 */
export class GraphError extends Error {
  override readonly name = "GraphError";
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    /** Extra response headers (WWW-Authenticate, Retry-After, Allow, ...). */
    readonly headers: Readonly<Record<string, string>> = {},
  ) {
    super(message);
  }
}

/** Graph's error envelope (`microsoft.graph.ODataErrors.ODataError`). */
export interface GraphErrorBody {
  error: {
    code: string;
    message: string;
    innerError: { date: string; "request-id": string; "client-request-id": string };
  };
}

/** `innerError.date` as Graph writes it: UTC, seconds precision, no zone designator. */
export function graphErrorDate(time: number): string {
  return new Date(time).toISOString().slice(0, 19);
}

export function graphErrorBody(error: GraphError, context: GraphRequestContext, time: number): GraphErrorBody {
  return {
    error: {
      code: error.code,
      message: error.message,
      innerError: {
        date: graphErrorDate(time),
        "request-id": context.requestId,
        "client-request-id": context.clientRequestId,
      },
    },
  };
}

/** Graph's error answer for `error`, ready to send. */
export function renderGraphError(error: GraphError, context: GraphRequestContext, time: number): RenderedResponse {
  return {
    status: error.status,
    headers: { ...context.headers, ...error.headers, "Content-Type": "application/json" },
    body: JSON.stringify(graphErrorBody(error, context, time)),
  };
}

/** Sends `error` in Graph's envelope with the request's correlation headers. */
export function sendGraphError(
  request: IncomingMessage,
  response: ServerResponse,
  context: GraphRequestContext,
  error: GraphError,
  time: number,
): void {
  annotateRequest(request, { errorCode: error.code });
  sendRendered(response, renderGraphError(error, context, time));
}
