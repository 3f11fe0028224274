import { createHash, timingSafeEqual } from "node:crypto";
import type { IncomingHttpHeaders } from "node:http";

/** Client credentials as an OAuth 2.0 token endpoint receives them. */
export interface PresentedClientCredentials {
  clientId?: string;
  clientSecret?: string;
  /** How the secret arrived, if it did. */
  method?: "client_secret_post" | "client_secret_basic";
}

/**
 * Extracts the client id and secret from a token request: in the form body
 * (`client_secret_post`) or in HTTP Basic (`client_secret_basic`, RFC 6749 §2.3.1, where both parts
 * are form-urlencoded before base64). Body values win when both are present.
 */
export function presentedClientCredentials(
  form: URLSearchParams,
  headers: IncomingHttpHeaders,
): PresentedClientCredentials {
  const basic = parseBasicAuthorization(headers.authorization);
  const bodyClientId = nonEmpty(form.get("client_id"));
  const bodySecret = nonEmpty(form.get("client_secret"));
  const credentials: PresentedClientCredentials = {};
  const clientId = bodyClientId ?? basic?.clientId;
  if (clientId !== undefined) credentials.clientId = clientId;
  if (bodySecret !== undefined) {
    credentials.clientSecret = bodySecret;
    credentials.method = "client_secret_post";
  } else if (basic?.clientSecret !== undefined && (bodyClientId === undefined || bodyClientId === basic.clientId)) {
    credentials.clientSecret = basic.clientSecret;
    credentials.method = "client_secret_basic";
  }
  return credentials;
}

function parseBasicAuthorization(header: string | undefined): { clientId: string; clientSecret?: string } | undefined {
  const match = /^Basic\s+([A-Za-z0-9+/=._~-]+)\s*$/i.exec(header ?? "");
  if (!match?.[1]) return undefined;
  const decoded = Buffer.from(match[1], "base64").toString("utf8");
  const separator = decoded.indexOf(":");
  if (separator < 0) return undefined;
  try {
    const clientId = decodeURIComponent(decoded.slice(0, separator).replaceAll("+", " "));
    const clientSecret = nonEmpty(decodeURIComponent(decoded.slice(separator + 1).replaceAll("+", " ")));
    return clientSecret === undefined ? { clientId } : { clientId, clientSecret };
  } catch {
    // Not form-encoded (a stray '%'): treat it as not presented rather than fail the request.
    return undefined;
  }
}

function nonEmpty(value: string | null | undefined): string | undefined {
  return value === null || value === undefined || value === "" ? undefined : value;
}

/**
 * Compares a presented secret with the stored one in constant time. Both are hashed first so that
 * neither their contents nor their lengths leak through timing.
 */
export function secretsMatch(presented: string, expected: string): boolean {
  const digest = (value: string) => createHash("sha256").update(value, "utf8").digest();
  return timingSafeEqual(digest(presented), digest(expected));
}
