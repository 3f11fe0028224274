// Secret values must never reach a message, a `cause`, `toJSON`, `util.inspect`, a log line or CLI
// output. The SDK never puts them there on purpose; this module is the safety net for text that
// comes from elsewhere (a server echoing a code back, a library's error message, a stack).
// Here too the `cause` a GraphSyncError keeps: a sanitized copy of the original error chain (names,
// redacted messages and stacks, a few safe fields), never the original objects.


/** What replaces a secret. */
export const REDACTED = "[REDACTED]";

/**
 * Shorter values are not replaced: a 1–5 character "secret" (`true`, `1`) would otherwise mangle
 * ordinary words in messages, and such values carry no real secrecy anyway.
 */
const MIN_SECRET_LENGTH = 6;

/** Bound the process-wide registry: a long-running process sees a new token every hour. */
const MAX_REGISTERED_SECRETS = 256;

/** Secrets known for the life of the process: client secrets and the access tokens handed out. */
const registeredSecrets = new Set<string>();

/** JSON field names whose string value is a secret (matched whole, case-insensitively). */
const SECRET_JSON_FIELDS = [
  "client_secret",
  "client_assertion",
  "refresh_token",
  "access_token",
  "id_token",
  "password",
  "secret",
  // Synchronization secret keys whose values are secrets.
  "AppKey",
  "ClientSecret",
  "ConnectionString",
  "ConsumerKey",
  "ConsumerSecret",
  "Oauth2AccessToken",
  "Oauth2AuthorizationCode",
  "Oauth2ClientSecret",
  "Oauth2RefreshToken",
  "SecretToken",
  "TokenKey",
].join("|");

/**
 * Patterns for secrets the SDK cannot know in advance: bearer tokens, JWTs, and the secret fields
 * of OAuth form bodies or JSON token responses.
 */
const secretPatterns: ReadonlyArray<readonly [RegExp, string]> = [
  [/\b(Bearer\s+)[A-Za-z0-9\-._~+/]{16,}=*/gi, `$1${REDACTED}`],
  [/\beyJ[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]*/g, REDACTED],
  [
    /\b((?:client_secret|client_assertion|refresh_token|access_token|id_token|password|assertion)=)[^&\s"']+/gi,
    `$1${REDACTED}`,
  ],
  // `code` is an ordinary word ("code=Request_BadRequest"): only redact it as a query or form field.
  [/([?&]code=)[^&\s"']+/gi, `$1${REDACTED}`],
  // JSON fields named after a secret: OAuth's and the synchronization keys that hold secrets, in
  // the keyed form and in the { "key", "value" } form. Not "code": in JSON that is an error code
  // (`"code": "Authorization_RequestDenied"`), which must stay readable.
  // A placeholder such as "<code>" (in help texts and examples) is left alone.
  [new RegExp(`("(?:${SECRET_JSON_FIELDS})"\\s*:\\s*")(?!<[^"<>]*>")(?:[^"\\\\]|\\\\.)*(")`, "gi"), `$1${REDACTED}$2`],
  [
    new RegExp(`("key"\\s*:\\s*"(?:${SECRET_JSON_FIELDS})"\\s*,\\s*"value"\\s*:\\s*")(?!<[^"<>]*>")(?:[^"\\\\]|\\\\.)*(")`, "gi"),
    `$1${REDACTED}$2`,
  ],
];

/**
 * Remembers a secret for the rest of the process, so that it is replaced wherever it shows up in
 * text the SDK emits. Used for client secrets read from the environment and for access tokens.
 */
export function registerSecret(value: string | undefined | null): void {
  if (!value || value.length < MIN_SECRET_LENGTH || registeredSecrets.has(value)) return;
  if (registeredSecrets.size >= MAX_REGISTERED_SECRETS) {
    const oldest = registeredSecrets.values().next().value;
    if (oldest !== undefined) registeredSecrets.delete(oldest);
  }
  registeredSecrets.add(value);
}

/** Replaces known secret values and secret-looking fragments in `text`. */
export function redact(text: string, secrets: Iterable<string> = []): string {
  let result = text;
  // Longest first, so a secret that contains another one is replaced whole.
  const values = [...registeredSecrets, ...secrets].filter((value) => value.length >= MIN_SECRET_LENGTH);
  values.sort((a, b) => b.length - a.length);
  for (const value of values) {
    if (result.includes(value)) result = result.split(value).join(REDACTED);
  }
  for (const [pattern, replacement] of secretPatterns) result = result.replace(pattern, replacement);
  return result;
}

/**
 * Redacts, then shortens to `maxLength` characters (with an ellipsis). In this order: cutting first
 * could leave the start of a secret that redaction no longer recognises.
 */
export function redactAndTruncate(text: string, maxLength: number, secrets: Iterable<string> = []): string {
  const redacted = redact(text, secrets);
  return redacted.length > maxLength ? `${redacted.slice(0, maxLength)}…` : redacted;
}

const MAX_CAUSE_DEPTH = 4;

/** Codes and ids are short; anything longer is cut (after redaction, so no secret is cut in half). */
const MAX_FIELD_LENGTH = 200;

/** A string field redacted and bounded: a server chooses what it puts in codes and ids. */
export function safeField(value: string | undefined, secrets: readonly string[]): string | undefined {
  return value === undefined ? undefined : redactAndTruncate(String(value), MAX_FIELD_LENGTH, secrets);
}

/** A cause of a GraphSyncError as `toJSON` shows it. */
export interface CauseJson {
  /** The original error's name. */
  name: string;
  /** Its message, redacted. */
  message: string;
  /** Its low-level code (`ECONNRESET`…), when it had one. */
  code?: string | number;
  /** The next cause in the chain. */
  cause?: CauseJson;
}

/** Fields of third-party errors that are safe and useful to keep. */
const safeCauseFields = ["code", "errno", "syscall", "statusCode"] as const;

/**
 * Copies an error into a plain `Error` with the same name, redacted message and stack, and the
 * safe fields above. Third-party errors can hold request objects (with the token or the body that
 * carried the secrets), so they are never kept as they are.
 */
export function sanitizeCause(cause: unknown, secrets: readonly string[], keepAsIs: (cause: unknown) => boolean, depth = 0): Error | undefined {
  if (cause === undefined || cause === null) return undefined;
  // The SDK's own errors are redacted already, and keep their fields.
  if (keepAsIs(cause)) return cause as Error;
  if (depth >= MAX_CAUSE_DEPTH) return undefined;
  try {
    return copyCause(cause, secrets, keepAsIs, depth);
  } catch {
    // A getter that throws, a revoked Proxy, an object without a prototype that String() rejects:
    // the error being built must not fail in turn, so the cause is then only named as unreadable.
    return new Error("(the underlying error could not be read)");
  }
}

function copyCause(cause: unknown, secrets: readonly string[], keepAsIs: (cause: unknown) => boolean, depth: number): Error {
  const source = typeof cause === "object" ? (cause as Record<string, unknown>) : undefined;
  const message = typeof source?.["message"] === "string" ? source["message"] : String(cause);
  const copy = new Error(redact(message, secrets), {
    cause: sanitizeCause(source?.["cause"], secrets, keepAsIs, depth + 1),
  });
  const name = cause instanceof Error ? cause.name : typeof source?.["name"] === "string" ? source["name"] : "Error";
  // Non-enumerable, as on the prototype, so the copy looks like an ordinary error of that name.
  Object.defineProperty(copy, "name", { value: redact(String(name), secrets), enumerable: false, writable: true, configurable: true });
  copy.stack = cause instanceof Error && cause.stack ? redact(cause.stack, secrets) : `${copy.name}: ${copy.message}`;
  for (const field of safeCauseFields) {
    const value = source?.[field];
    if (typeof value === "string" || typeof value === "number") {
      Object.defineProperty(copy, field, { value: typeof value === "string" ? safeField(value, secrets) : value, enumerable: true });
    }
  }
  if (copy.cause === undefined) delete (copy as { cause?: unknown }).cause;
  return copy;
}

/** The cause chain as plain data, for `toJSON`. */
export function describeCause(cause: unknown): CauseJson | undefined {
  if (!(cause instanceof Error)) return undefined;
  const code = (cause as { code?: unknown }).code;
  const inner = cause.cause === undefined ? undefined : describeCause(cause.cause);
  return {
    name: cause.name,
    message: cause.message,
    ...((typeof code === "string" || typeof code === "number") && { code }),
    ...(inner !== undefined && { cause: inner }),
  };
}
