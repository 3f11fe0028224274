import { randomUUID } from "node:crypto";
import type { IncomingMessage } from "node:http";
import { echoableClientRequestId } from "../http/clientRequestId.js";
import { annotateRequest } from "../log/requestLog.js";

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
