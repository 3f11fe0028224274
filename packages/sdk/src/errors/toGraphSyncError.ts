import { AttemptFailure } from "../pipeline/attemptFailure.js";
import type { CallContext } from "../pipeline/callContext.js";
import { attemptFailureToError } from "./attemptFailureError.js";
import { GraphSyncError, isGraphSyncError } from "./graphSyncError.js";
import { responseToError } from "./responseError.js";

/**
 * The single place where anything a call can throw becomes a GraphSyncError:
 * errors the SDK already built (validation, configuration, token failures), attempts that got no
 * answer, and Graph's error answers however Kiota reported them.
 */
export function toGraphSyncError(error: unknown, context: CallContext): GraphSyncError {
  if (isGraphSyncError(error)) return error;
  if (error instanceof AttemptFailure) return attemptFailureToError(error, context);
  const response = context.lastResponse;
  if (response !== undefined && (response.status < 200 || response.status >= 300)) {
    return responseToError(error, response, context);
  }
  const message = error instanceof Error ? error.message : String(error);
  return new GraphSyncError(
    `The call failed unexpectedly: ${message}. If this keeps happening, report it with the client-request-id ${context.clientRequestId}.`,
    {
      kind: "unexpected",
      code: "Unexpected",
      status: response?.status,
      attempts: context.attempts,
      clientRequestId: context.clientRequestId,
      // An answer arrived (or none was sent): a failure after a 2xx means Graph did the work.
      mayHaveBeenProcessed: response !== undefined,
      cause: error,
      secrets: context.secrets,
    },
  );
}
