import { secretsMatch } from "../security/secretsMatch.js";
import type { ClientApplicationRecord } from "../state/model.js";
import { entraErrors } from "./entraErrors.js";

/** A secret matches one of the app's secrets, and that one has not expired. */
export function requireValidSecret(application: ClientApplicationRecord, presented: string, now: number): void {
  // Compare against every secret, so timing does not reveal which one matched.
  const matches = application.secrets.filter((secret) => secretsMatch(presented, secret.value));
  if (matches.length === 0) throw entraErrors.invalidClientSecret(application.appId);
  if (matches.every((secret) => Date.parse(secret.endDateTime) <= now)) throw entraErrors.expiredClientSecret(application.appId);
}
