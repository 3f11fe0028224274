// The words for attempts that got no HTTP answer (network, timeout, abort), apart from the code that
// sorts them (noAnswer.ts). A text names what the caller's code can do.

/**
 * The explanation every error gets when a request may have reached Graph but no answer came back.
 * Shared so the wording (and the advice) is the same for timeouts, aborts and broken connections.
 */
export const NOT_RETRIED_EXPLANATION =
  "The request had already been sent, so Graph may have carried it out. The SDK does not retry such a " +
  "request automatically: an authorization code can be redeemed only once, and a blind retry would turn " +
  "a success into a confusing 'code already redeemed' failure. Check whether provisioning is now " +
  "authorized (for example with Test Connection in the Microsoft Entra admin center) before calling " +
  "again with a new authorization code.";

/** The caller's abort, worded once for every phase of a call. */
export const CALLER_ABORTED = "The call was aborted by the caller's abortSignal";

/** The call's deadline, worded once for every phase of a call. */
export function deadlinePassed(timeoutInMs: number): string {
  return `The call did not finish within its timeout of ${timeoutInMs} ms (timeoutInMs)`;
}

/** What to say per way an attempt got no answer; `host` is Graph's, `code` the low-level error code. */
export const noAnswerAdvice = {
  attemptTimeout: (host: string, attemptTimeoutInMs: number) => `Graph (${host}) did not answer within ${attemptTimeoutInMs} ms (attemptTimeoutInMs).`,
  connect: (host: string, code: string | undefined, attempts: number) =>
    `Could not connect to Graph at ${host} (${code ?? "connection failed"}) after ${attempts} attempt${attempts === 1 ? "" : "s"}. ` +
    "Nothing was sent. Check the network, any proxy, and baseUrl if you set one.",
  notWritten: (host: string, code: string | undefined, attempts: number) =>
    `The connection to Graph at ${host} closed before the request was written (${code ?? "connection closed"})` +
    (attempts > 1 ? ` on all ${attempts} attempts` : "") +
    ". Nothing was sent. Check the network and any proxy between this machine and Graph.",
  reset: (host: string, code: string | undefined, attempts: number) =>
    `The connection to Graph at ${host} was reset before any answer (${code})` +
    (attempts > 1 ? ` on all ${attempts} attempts` : "") +
    ". A reset usually means a connection that Graph or a proxy closed as idle just as the request went out, " +
    "which Graph never read (the SDK retries those); but a server that read the request and then reset looks " +
    "the same from here, so Graph may have carried out the call. Check whether provisioning is now authorized " +
    "(for example with Test Connection in the Microsoft Entra admin center) before calling again with a new authorization code.",
  /** Worded for code; the CLI renders its own remedies for the reason `tls`. */
  tls: (host: string, code: string | undefined) =>
    `The TLS handshake with ${host} failed (${code}). Nothing was sent. If Graph is reached through a ` +
    "proxy or an emulator with its own certificate authority, make Node trust it (NODE_EXTRA_CA_CERTS=<ca.pem>, " +
    "or a fetch whose agent has the CA, for example undici's Agent with connect: { ca }).",
  network: (host: string, what: string) => `The connection to Graph at ${host} failed (${what}).`,
  unexpected: (message: string, clientRequestId: string) =>
    `The call failed unexpectedly: ${message}. If this keeps happening, report it with the client-request-id ${clientRequestId}.`,
} as const;
