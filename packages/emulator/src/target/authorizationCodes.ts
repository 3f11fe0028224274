import type { EmulatorClock } from "../clock.js";
import type { AuthorizationCodeRecord } from "../state/model.js";
import { newOpaqueValue, sha256Hex } from "../state/randomValues.js";
import type { EmulatorStore } from "../state/store.js";

/** Why a code could not be redeemed; each has its own message, so callers learn which. */
export type CodeRejection = "unknown" | "expired" | "alreadyUsed" | "redirectUriMismatch" | "clientMismatch";

export type CodeRedemption = { redeemed: true; record: AuthorizationCodeRecord } | { redeemed: false; reason: CodeRejection };

/** How long spent and expired codes are remembered so that reuse is told apart from "unknown". */
const rememberAfterExpiryInMs = 60 * 60 * 1000;

/** Issues a single-use code bound to the client and redirect URI it was requested for. */
export function issueAuthorizationCode(
  store: EmulatorStore,
  clock: EmulatorClock,
  request: { clientId: string; redirectUri: string; scope: string; lifetimeInSeconds: number },
): string {
  const code = newOpaqueValue("tgc_");
  const now = clock();
  store.addAuthorizationCode(
    {
      codeHash: sha256Hex(code),
      clientId: request.clientId,
      redirectUri: request.redirectUri,
      scope: request.scope,
      issuedAt: new Date(now).toISOString(),
      expiresAt: new Date(now + request.lifetimeInSeconds * 1000).toISOString(),
    },
    now - rememberAfterExpiryInMs,
  );
  return code;
}

/**
 * Redeems a code (RFC 6749 §4.1.3): it must exist, be unexpired and unused, and be presented by the
 * client it was issued to with the same redirect URI. A successful redemption marks it used.
 */
export function redeemAuthorizationCode(
  store: EmulatorStore,
  clock: EmulatorClock,
  presented: { code: string; clientId: string; redirectUri: string | undefined },
): CodeRedemption {
  const record = store.findAuthorizationCode(sha256Hex(presented.code));
  if (!record) return { redeemed: false, reason: "unknown" };
  if (record.redeemedAt !== undefined) return { redeemed: false, reason: "alreadyUsed" };
  if (Date.parse(record.expiresAt) <= clock()) return { redeemed: false, reason: "expired" };
  if (record.clientId !== presented.clientId) return { redeemed: false, reason: "clientMismatch" };
  if (record.redirectUri !== presented.redirectUri) return { redeemed: false, reason: "redirectUriMismatch" };
  record.redeemedAt = new Date(clock()).toISOString();
  return { redeemed: true, record };
}

/** The `error_description` the target sends for each rejection. */
export const codeRejectionDescriptions: Readonly<Record<CodeRejection, string>> = {
  unknown: "The authorization code is unknown: it was never issued by this authorization server.",
  expired: "The authorization code has expired.",
  alreadyUsed: "The authorization code has already been used.",
  redirectUriMismatch: "The redirect_uri does not match the redirect URI the authorization code was issued for.",
  clientMismatch: "The authorization code was issued to a different client.",
};
