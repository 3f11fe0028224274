// Secret values must never reach a message, a `cause`, `toJSON`, `util.inspect`, a log line or CLI
// output. The SDK never puts them there on purpose; this module is the safety net for text that
// comes from elsewhere (a server echoing a code back, a library's error message, a stack).

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
