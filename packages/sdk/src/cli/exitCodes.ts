import type { GraphSyncErrorKind } from "../errors/graphSyncError.js";

/** The CLI's exit codes: one per kind of failure a script may want to react to differently. */
export const ExitCode = {
  success: 0,
  /** Anything not listed below: Graph failed (5xx) or answered something unexpected. */
  failure: 1,
  /** Wrong command line, invalid input or configuration: fix the invocation. */
  usage: 2,
  /** No usable token: the credential failed (AADSTS…) or Graph answered 401. */
  authentication: 3,
  /** Graph answered 403, or the synchronization service 401 UnknownError: the caller lacks a permission, role or ownership. */
  permission: 4,
  /** Graph answered 404: wrong id, or wrong kind of id. */
  notFound: 5,
  /** Graph answered 429 and kept doing so for as long as the call could wait. */
  throttled: 6,
  /** No answer: connection failed or timed out. */
  network: 7,
  /** Graph rejected the request (another 4xx), typically a spent or expired authorization code. */
  rejected: 8,
  /** authorize: the target answered an error (access_denied, …), the state did not match, or no redirect came in time; nothing was sent to Graph. */
  notAuthorized: 9,
  /** Interrupted (Ctrl+C), as shells report SIGINT. */
  interrupted: 130,
} as const;

export type ExitCodeValue = (typeof ExitCode)[keyof typeof ExitCode];

const byKind: Record<GraphSyncErrorKind, ExitCodeValue> = {
  validation: ExitCode.usage,
  configuration: ExitCode.usage,
  authentication: ExitCode.authentication,
  permission: ExitCode.permission,
  "not-found": ExitCode.notFound,
  throttled: ExitCode.throttled,
  network: ExitCode.network,
  timeout: ExitCode.network,
  "bad-request": ExitCode.rejected,
  service: ExitCode.failure,
  unexpected: ExitCode.failure,
  aborted: ExitCode.interrupted,
};

export function exitCodeFor(kind: GraphSyncErrorKind): ExitCodeValue {
  return byKind[kind];
}
