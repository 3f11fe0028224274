import { createHash, randomBytes, randomUUID } from "node:crypto";

/** A new object id / client id, as Entra issues them. */
export function newObjectId(): string {
  return randomUUID();
}

/**
 * A client secret shaped like the ones Entra generates (40 characters, the fourth to sixth being a
 * version marker such as `8Q~`), so code that sniffs the format sees a familiar value.
 */
export function newClientSecret(): string {
  const body = randomBytes(30).toString("base64url").replaceAll("-", "~").replaceAll("_", ".");
  return `${body.slice(0, 3)}8Q~${body.slice(3, 37)}`;
}

/** An opaque bearer value (authorization code, target access or refresh token). */
export function newOpaqueValue(prefix: string): string {
  return `${prefix}${randomBytes(32).toString("base64url")}`;
}

/** SHA-256 of a secret value, hex; used to store codes and to fingerprint masked values. */
export function sha256Hex(value: string): string {
  return createHash("sha256").update(value, "utf8").digest("hex");
}
