import { randomUUID } from "node:crypto";
import type { IncomingMessage } from "node:http";
import type { EmulatorClock } from "../clock.js";
import type { HostFormat, RenderedResponse } from "../http/host.js";
import { echoableClientRequestId } from "../http/incomingRequest.js";
import { annotateRequest } from "../http/requestLog.js";

/** The correlation facts of one Graph request, echoed in headers and in error bodies. */
export interface GraphRequestContext {
  requestId: string;
  clientRequestId: string;
  /** Headers every response to this request carries (besides `Date`, which Node adds). */
  headers: Record<string, string>;
}

/**
 * Graph gives every request a new `request-id` and echoes the caller's `client-request-id`, or
 * repeats the request id there when the caller sent none. Without a request (one that could not
 * even be parsed) there is nothing to echo.
 */
export function createGraphRequestContext(request: IncomingMessage | undefined): GraphRequestContext {
  const requestId = randomUUID();
  const clientRequestId = (request && echoableClientRequestId(request.headers)) ?? requestId;
  if (request) annotateRequest(request, { requestId, clientRequestId });
  return {
    requestId,
    clientRequestId,
    headers: {
      "request-id": requestId,
      "client-request-id": clientRequestId,
      "x-ms-ags-diagnostic": JSON.stringify({
        ServerInfo: { DataCenter: "Local Emulator", Slice: "E", Ring: "0", ScaleUnit: "000", RoleInstance: "emulator" },
      }),
    },
  };
}

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

/**
 * Graph's side of the host skeleton (http/host.ts): its correlation headers, its error envelope, and
 * for anything else `500 generalException`.
 */
export function graphFormat(clock: EmulatorClock): HostFormat<GraphRequestContext, GraphError> {
  return {
    name: "graph",
    createContext: createGraphRequestContext,
    failureOf: (error) => (error instanceof GraphError ? error : undefined),
    internalFailure: () => new GraphError(500, "generalException", "An unexpected error occurred in the emulated service."),
    requestFailure: (status, message) => new GraphError(status, "BadRequest", message),
    errorCodeOf: (error) => error.code,
    render: (error, context) => renderGraphError(error, context, clock()),
  };
}
