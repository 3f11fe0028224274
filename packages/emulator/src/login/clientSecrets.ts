import type { IncomingMessage } from "node:http";
import { presentedClientCredentials, type PresentedClientCredentials, secretsMatch } from "../http/oauthClientAuthentication.js";
import { annotateRequest } from "../http/requestLog.js";
import type { ClientApplicationRecord } from "../state/model.js";
import { entraErrors } from "./loginErrors.js";

/** A secret matches one of the app's secrets, and that one has not expired. */
export function requireValidSecret(application: ClientApplicationRecord, presented: string, now: number): void {
  // Compare against every secret, so timing does not reveal which one matched.
  const matches = application.secrets.filter((secret) => secretsMatch(presented, secret.value));
  if (matches.length === 0) throw entraErrors.invalidClientSecret(application.appId);
  if (matches.every((secret) => Date.parse(secret.endDateTime) <= now)) throw entraErrors.expiredClientSecret(application.appId);
}

/**
 * The client credentials a token request presents, in the body or in HTTP Basic: `client_id` is
 * required by every grant, and the request log records it (cut, as a caller may send anything).
 */
export function presentedClient(request: IncomingMessage, form: URLSearchParams): PresentedClientCredentials & { clientId: string } {
  const credentials = presentedClientCredentials(form, request.headers);
  if (!credentials.clientId) throw entraErrors.missingParameter("client_id");
  annotateRequest(request, { appId: credentials.clientId.slice(0, 100) });
  return { ...credentials, clientId: credentials.clientId };
}

/**
 * The grants a user's device may use (device code, refresh token) accept a public client: a secret,
 * when one is presented, must be valid; without one, Entra requires the app to allow public client flows.
 */
export function authenticatePublicOrConfidentialClient(application: ClientApplicationRecord, clientSecret: string | undefined, now: number): void {
  if (clientSecret !== undefined) requireValidSecret(application, clientSecret, now);
  else if (!application.allowPublicClientFlows) throw entraErrors.missingClientSecret();
}
