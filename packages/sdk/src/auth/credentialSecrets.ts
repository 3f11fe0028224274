import type { TokenCredential } from "@azure/core-auth";
import { GraphSyncError } from "../errors/graphSyncError.js";

/** A handful of values is what a credential has; a long list is a mistake, not a configuration. */
export const MAX_SECRETS_TO_REDACT = 64;

/**
 * The secrets to redact from a client's errors and log lines besides each call's credential values:
 * the ones the caller names (`secretsToRedact`), and the client secret of the caller's own
 * credential when the SDK can see it.
 *
 * The SDK cannot ask a `TokenCredential` for its secret, yet a token endpoint that echoes the
 * client secret in its error description puts it in the token failure's text. `@azure/identity`'s
 * ClientSecretCredential keeps the secret in a `clientSecret` field (private only to TypeScript),
 * so it is picked up from there; for any other credential, pass the secret in `secretsToRedact`.
 */
export function collectSecretsToRedact(credential: TokenCredential, secretsToRedact: unknown): string[] {
  const secrets: string[] = [];
  if (secretsToRedact !== undefined) {
    if (!Array.isArray(secretsToRedact) || secretsToRedact.length > MAX_SECRETS_TO_REDACT) {
      throw invalidSecretsToRedact();
    }
    for (let index = 0; index < secretsToRedact.length; index++) {
      const value: unknown = secretsToRedact[index];
      if (typeof value !== "string") throw invalidSecretsToRedact();
      secrets.push(value);
    }
  }
  const captured = readClientSecret(credential);
  if (captured !== undefined) secrets.push(captured);
  return secrets;
}

function readClientSecret(credential: TokenCredential): string | undefined {
  try {
    const value: unknown = (credential as { clientSecret?: unknown }).clientSecret;
    return typeof value === "string" && value !== "" ? value : undefined;
  } catch {
    // A getter that throws or a Proxy: nothing to capture, and no reason to fail the client.
    return undefined;
  }
}

function invalidSecretsToRedact(): GraphSyncError {
  return new GraphSyncError(
    `secretsToRedact must be a list of at most ${MAX_SECRETS_TO_REDACT} strings (your credential's client secret, for example).`,
    { kind: "configuration", code: "InvalidSecretsToRedact" },
  );
}
