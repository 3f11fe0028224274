import { randomUUID } from "node:crypto";

/** The URL a browser would open to ask the target for a code (it consents without asking). */
export function authorizationRequestUrl(targetUrl: string, client: { clientId: string; redirectUri: string; state?: string }): string {
  const url = new URL(`${targetUrl}/authorize`);
  url.searchParams.set("response_type", "code");
  url.searchParams.set("client_id", client.clientId);
  url.searchParams.set("redirect_uri", client.redirectUri);
  if (client.state !== undefined) url.searchParams.set("state", client.state);
  return url.toString();
}

/**
 * Drives the target's authorize endpoint over HTTP like a browser would, without following the
 * redirect, and returns the single-use code from it.
 */
export async function requestAuthorizationCode(targetUrl: string, client: { clientId: string; redirectUri: string }): Promise<string> {
  const state = randomUUID();
  const response = await fetch(authorizationRequestUrl(targetUrl, { ...client, state }), { redirect: "manual" });
  const location = response.headers.get("location");
  await response.body?.cancel();
  if (response.status !== 302 || !location) {
    throw new Error(`The target's authorize endpoint answered ${response.status} instead of redirecting with a code.`);
  }
  const redirect = new URL(location);
  const code = redirect.searchParams.get("code");
  if (!code || redirect.searchParams.get("state") !== state) {
    throw new Error(`The target redirected without a code (error: ${redirect.searchParams.get("error") ?? "none"}).`);
  }
  return code;
}
