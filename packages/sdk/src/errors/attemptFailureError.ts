import type { AttemptFailure } from "../pipeline/attemptFailure.js";
import type { CallContext } from "../pipeline/callContext.js";
import { GraphSyncError } from "./graphSyncError.js";
import { NOT_RETRIED_EXPLANATION } from "./notRetried.js";

/** The error for an attempt that produced no HTTP answer (see AttemptFailure). */
export function attemptFailureToError(failure: AttemptFailure, context: CallContext): GraphSyncError {
  const host = hostOf(context.graphUrl);
  const sent = failure.requestMayHaveBeenSent;
  const afterSending = sent ? ` ${NOT_RETRIED_EXPLANATION}` : "";
  const lastStatus = context.statuses.at(-1);
  const notInFlight =
    context.attempts === 0 || lastStatus === undefined
      ? " before a request was sent."
      : ` between attempts, with no request in flight (the last answer was ${lastStatus}, so Graph did not carry out the call).`;
  const common = {
    attempts: context.attempts,
    clientRequestId: context.clientRequestId,
    mayHaveBeenProcessed: sent,
    code: failure.errorCode,
    cause: failure.cause,
    secrets: context.secrets,
  };
  switch (failure.reason) {
    case "aborted":
      return new GraphSyncError(
        `The call was aborted by the caller's abortSignal${sent ? " while the request was in flight." : notInFlight}${afterSending}`,
        { ...common, kind: "aborted", code: "Aborted" },
      );
    case "deadline":
      return new GraphSyncError(
        `The call did not finish within its timeout of ${context.timeoutInMs} ms (timeoutInMs)${sent ? `.${afterSending}` : `; it ran out${notInFlight}`}`,
        { ...common, kind: "timeout", code: "Timeout" },
      );
    case "attempt-timeout":
      return new GraphSyncError(
        `Graph (${host}) did not answer within ${context.attemptTimeoutInMs} ms (attemptTimeoutInMs).${afterSending}`,
        { ...common, kind: "timeout", code: "AttemptTimeout" },
      );
    case "connect":
      return new GraphSyncError(
        `Could not connect to Graph at ${host} (${failure.errorCode ?? "connection failed"}) after ${context.attempts} ` +
          `attempt${context.attempts === 1 ? "" : "s"}. Nothing was sent. Check the network, any proxy, and baseUrl if you set one.`,
        { ...common, kind: "network" },
      );
    case "reset":
      return new GraphSyncError(
        `The connection to Graph at ${host} was reset before any answer (${failure.errorCode})` +
          (context.attempts > 1 ? ` on all ${context.attempts} attempts` : "") +
          ". A reset usually means a connection that Graph or a proxy closed as idle just as the request went out, " +
          "which Graph never read (the SDK retries those); but a server that read the request and then reset looks " +
          "the same from here, so Graph may have carried out the call. Check whether provisioning is now authorized " +
          "(for example with Test Connection in the Microsoft Entra admin center) before calling again with a new authorization code.",
        { ...common, kind: "network" },
      );
    case "tls":
      return new GraphSyncError(
        `The TLS handshake with ${host} failed (${failure.errorCode}). Nothing was sent. If Graph is reached through a ` +
          "proxy or an emulator with its own certificate authority, make Node trust it (NODE_EXTRA_CA_CERTS=<ca.pem>).",
        { ...common, kind: "network" },
      );
    case "network":
      return new GraphSyncError(
        `The connection to Graph at ${host} failed (${failure.errorCode ?? describeCause(failure.cause)}).${afterSending}`,
        { ...common, kind: "network" },
      );
  }
}

function hostOf(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return url;
  }
}

function describeCause(cause: unknown): string {
  return cause instanceof Error ? cause.message : "no answer";
}
