import type { inspect, InspectOptions } from "node:util";
import { describeCause, redact, safeField, sanitizeCause, type CauseJson } from "./redaction.js";

export type { CauseJson } from "./redaction.js";

/**
 * What went wrong, coarsely: enough to decide what to do next without parsing messages.
 *
 * - `validation`: the input was rejected before any request (see `issues`).
 * - `configuration`: the options make the call impossible (unknown or unsupported cloud, bad URL,
 *   missing environment variables, a host that may not receive the token).
 * - `authentication`: no usable access token: the credential failed (see `code`, often an
 *   `AADSTS…` code) or Graph answered 401.
 * - `permission`: Graph answered 403, or the synchronization service answered 401 `UnknownError`
 *   (its refusal of a permission, role or ownership, as users report it).
 * - `not-found`: Graph answered 404.
 * - `bad-request`: Graph rejected the request with another 4xx (for example a spent authorization code).
 * - `throttled`: Graph answered 429 and retrying did not help in the time allowed.
 * - `service`: Graph answered 5xx.
 * - `unexpected`: an answer or failure the SDK cannot interpret (an unexpected status or redirect).
 * - `network`: no HTTP answer: the connection failed or broke.
 * - `timeout`: an attempt or the whole call ran out of time.
 * - `aborted`: the caller's `abortSignal` fired.
 */
export type GraphSyncErrorKind =
  | "validation"
  | "configuration"
  | "authentication"
  | "permission"
  | "not-found"
  | "bad-request"
  | "throttled"
  | "service"
  | "unexpected"
  | "network"
  | "timeout"
  | "aborted";

/**
 * Why a failure happened, as a stable, machine-readable value for code that words its own remedy
 * (the CLI names command-line remedies where the SDK's message names what code can do).
 *
 * - `tls`: a TLS connection failed, most often because Node does not trust the server's
 *   certificate authority (a TLS-inspecting proxy, the graph-sync emulator's own CA).
 */
export type GraphSyncErrorReason = "tls";

/** One problem found in the caller's input. `path` locates it, for example `credentials.Oauth2AuthorizationCode`. */
export interface ValidationIssue {
  /** Where in the input the problem is, from the argument's name: `target`, `credentials[2].key`, `options`. */
  readonly path: string;
  /** What is wrong there and what to give instead; it does not repeat the path (the message shows `path: message`). */
  readonly message: string;
}

/** What a GraphSyncError is made of (the SDK builds them; code that wraps the SDK may too). */
export interface GraphSyncErrorOptions {
  /** What went wrong, coarsely; the one required field. See {@link GraphSyncErrorKind}. */
  kind: GraphSyncErrorKind;
  /** Graph's error code (`Authorization_RequestDenied`), an AADSTS code, or the SDK's own code. */
  code?: string | undefined;
  /** Why it failed, when the SDK knows a reason that calls for a remedy of its own (see GraphSyncErrorReason). */
  reason?: GraphSyncErrorReason | undefined;
  /** The HTTP status of Graph's (or Entra ID's) answer. */
  status?: number | undefined;
  /** Graph's `request-id` response header (or `innerError.request-id`), when an answer came. */
  requestId?: string | undefined;
  /** The `client-request-id` the call sent. */
  clientRequestId?: string | undefined;
  /** When the service produced the answer (its `Date` header or `innerError.date`). */
  date?: Date | undefined;
  /** The wait the service asked for (its `Retry-After`), in milliseconds. */
  retryAfterInMs?: number | undefined;
  /** HTTP attempts sent before the failure. Default 0. */
  attempts?: number | undefined;
  /** Whether the request may have been carried out although no answer came back. Default false. */
  mayHaveBeenProcessed?: boolean | undefined;
  /** For `validation` errors, every problem found. Their paths and messages are redacted too. */
  issues?: readonly ValidationIssue[] | undefined;
  /**
   * The underlying failure. The error keeps a sanitized copy (names, messages and codes, redacted),
   * never the original object, which may hold a request with its token.
   */
  cause?: unknown;
  /** Values to remove from the message and the cause (the call's credential values). */
  secrets?: Iterable<string> | undefined;
}


/** `util.inspect.custom`, a registered symbol: no need to load node:util to use it. */
const inspectCustom = Symbol.for("nodejs.util.inspect.custom");

/**
 * The one error the SDK throws, for every failure: Graph error responses, token failures, network
 * errors, timeouts, aborts, unreadable answers and rejected input. Its message says what to do.
 *
 * It never carries a secret: the message, every other string field and the `cause` chain are
 * redacted when it is created, and
 * the cause is a sanitized copy that keeps only names, messages and codes of the original errors
 * (never their request or response objects).
 */
export class GraphSyncError extends Error {
  /** Always `GraphSyncError`, also across copies of the SDK (see {@link isGraphSyncError}). */
  override readonly name = "GraphSyncError";
  /** What went wrong, coarsely: switch on it to decide what to do next. */
  readonly kind: GraphSyncErrorKind;
  /**
   * The precise cause as a code: Graph's error code (`Authorization_RequestDenied`), an AADSTS code
   * from Entra ID, a network error code (`ECONNREFUSED`), or the SDK's own (`InvalidInput`,
   * `Timeout`, …). Undefined when none is known.
   */
  readonly code: string | undefined;
  /** Why it failed, when the remedy depends on it (see {@link GraphSyncErrorReason}); stable across versions. */
  readonly reason: GraphSyncErrorReason | undefined;
  /** The HTTP status of Graph's (or Entra ID's) answer; undefined when no answer came or none was asked for. */
  readonly status: number | undefined;
  /** Graph's `request-id`: quote it when you contact Microsoft support. */
  readonly requestId: string | undefined;
  /** The `client-request-id` the SDK sent (the same on every attempt of a call). */
  readonly clientRequestId: string | undefined;
  /** When Graph produced the answer (its `Date` header or `innerError.date`). */
  readonly date: Date | undefined;
  /** How long Graph asked to wait before trying again, when it said so. */
  readonly retryAfterInMs: number | undefined;
  /** How many HTTP attempts the call made before failing (0 when none was sent). */
  readonly attempts: number;
  /**
   * True when the request may have reached Graph and been carried out even though no answer came
   * back (a timeout or a broken connection after sending). Such a request is never retried
   * automatically: an authorization code works once, so check the result before calling again.
   */
  readonly mayHaveBeenProcessed: boolean;
  /** For `validation` errors: every problem found, not only the first. */
  readonly issues: readonly ValidationIssue[];

  constructor(message: string, options: GraphSyncErrorOptions) {
    const secrets = options.secrets ? [...options.secrets] : [];
    super(redact(message, secrets), { cause: sanitizeCause(options.cause, secrets, isOwnError) });
    this.kind = options.kind;
    // Every string field is redacted and bounded, not only the message: a server chooses what it
    // puts in its error code and in the request-id headers, and may echo a secret there.
    this.code = safeField(options.code, secrets);
    this.reason = options.reason;
    this.status = options.status;
    this.requestId = safeField(options.requestId, secrets);
    this.clientRequestId = safeField(options.clientRequestId, secrets);
    this.date = options.date;
    this.retryAfterInMs = options.retryAfterInMs;
    this.attempts = options.attempts ?? 0;
    this.mayHaveBeenProcessed = options.mayHaveBeenProcessed ?? false;
    this.issues = Object.freeze(
      (options.issues ?? []).map((issue) =>
        Object.freeze({ path: redact(issue.path, secrets), message: redact(issue.message, secrets) }),
      ),
    );
    // `cause` is set by Error's constructor; the class field initialisers ran after it, so fix the
    // stack (captured with the original message) only if a secret could have been in it.
    if (this.stack) this.stack = redact(this.stack, secrets);
  }

  /** A plain, secret-free description for logs and JSON output. */
  toJSON(): GraphSyncErrorJson {
    return {
      name: this.name,
      kind: this.kind,
      message: this.message,
      ...(this.status !== undefined && { status: this.status }),
      ...(this.code !== undefined && { code: this.code }),
      ...(this.reason !== undefined && { reason: this.reason }),
      ...(this.requestId !== undefined && { requestId: this.requestId }),
      ...(this.clientRequestId !== undefined && { clientRequestId: this.clientRequestId }),
      ...(this.date !== undefined && { date: this.date.toISOString() }),
      ...(this.retryAfterInMs !== undefined && { retryAfterInMs: this.retryAfterInMs }),
      attempts: this.attempts,
      mayHaveBeenProcessed: this.mayHaveBeenProcessed,
      ...(this.issues.length > 0 && { issues: this.issues }),
      ...(this.cause !== undefined && { cause: describeCause(this.cause) }),
    };
  }
}

/**
 * `util.inspect` shows the same fields as `toJSON` (and the stack), never anything else. Defined on
 * the prototype rather than in the class: how Node prints the error is not part of its type.
 */
Object.defineProperty(GraphSyncError.prototype, inspectCustom, {
  writable: true,
  configurable: true,
  value: function inspectGraphSyncError(this: GraphSyncError, _depth: number, options: InspectOptions, inspectValue: typeof inspect): string {
    const { name: _name, message: _message, cause, ...fields } = this.toJSON();
    const head = this.stack ?? `${this.name}: ${this.message}`;
    const body = inspectValue(fields, { ...options, depth: 3 });
    const tail = cause === undefined ? "" : `\n  [cause]: ${inspectValue(cause, { ...options, depth: 3 })}`;
    return `${head} ${body}${tail}`;
  },
});

/** A GraphSyncError as plain, secret-free data (`toJSON`): the error's fields of the same names. */
export interface GraphSyncErrorJson {
  /** Always `GraphSyncError`. */
  name: "GraphSyncError";
  /** See {@link GraphSyncError.kind}. */
  kind: GraphSyncErrorKind;
  /** The message, redacted. */
  message: string;
  /** See {@link GraphSyncError.status}. */
  status?: number;
  /** See {@link GraphSyncError.code}. */
  code?: string;
  /** See {@link GraphSyncError.reason}. */
  reason?: GraphSyncErrorReason;
  /** See {@link GraphSyncError.requestId}. */
  requestId?: string;
  /** See {@link GraphSyncError.clientRequestId}. */
  clientRequestId?: string;
  /** {@link GraphSyncError.date} as an ISO 8601 string. */
  date?: string;
  /** See {@link GraphSyncError.retryAfterInMs}. */
  retryAfterInMs?: number;
  /** See {@link GraphSyncError.attempts}. */
  attempts: number;
  /** See {@link GraphSyncError.mayHaveBeenProcessed}. */
  mayHaveBeenProcessed: boolean;
  /** See {@link GraphSyncError.issues}. */
  issues?: readonly ValidationIssue[];
  /** The sanitized cause chain. */
  cause?: CauseJson;
}

function isOwnError(cause: unknown): boolean {
  return cause instanceof GraphSyncError;
}

/**
 * True for a `GraphSyncError`, also one created by another copy of the SDK in the same process
 * (two installed versions), which `instanceof` would miss.
 */
export function isGraphSyncError(value: unknown): value is GraphSyncError {
  if (value instanceof GraphSyncError) return true;
  return (
    value instanceof Error &&
    value.name === "GraphSyncError" &&
    typeof (value as { kind?: unknown }).kind === "string"
  );
}
