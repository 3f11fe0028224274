import { isLoopbackHostname } from "../http/loopback.js";
import type { TargetClientRecord } from "../state/model.js";

/** The outcome of checking an authorization request's `redirect_uri` against the client's registration. */
export type RedirectUriCheck = { accepted: true; redirectUri: string } | { accepted: false; reason: string };

/**
 * Where the target may send the browser back to (RFC 6749 §3.1.2, RFC 8252 §7.3):
 * - a redirect URI the client registered, exactly;
 * - a loopback one (`http://127.0.0.1`, `http://[::1]`, `http://localhost`) on any port, when the
 *   client registered that host and path on loopback: native apps (the `graph-sync authorize`
 *   command) listen on a port they get from the system, which no registration can name in advance;
 * - nothing else: an unregistered URI, or one that is neither https nor loopback, is refused, and
 *   the refusal is shown to the person instead of redirecting (an open redirector would send codes
 *   or errors to anyone's site).
 * Without `redirect_uri`, a client with one registered URI gets that one.
 */
export function checkRedirectUri(client: TargetClientRecord, requested: string | null): RedirectUriCheck {
  if (requested === null) {
    const [only, ...others] = client.redirectUris;
    return only !== undefined && others.length === 0
      ? { accepted: true, redirectUri: only }
      : { accepted: false, reason: `redirect_uri is required: client '${client.clientId}' registers several.` };
  }
  if (client.redirectUris.includes(requested)) return { accepted: true, redirectUri: requested };
  const shown = requested.slice(0, 200);
  const url = URL.canParse(requested) ? new URL(requested) : undefined;
  if (!url) return { accepted: false, reason: `The redirect_uri '${shown}' is not an absolute URL.` };
  if (url.hash !== "" || requested.includes("#")) {
    return { accepted: false, reason: `The redirect_uri '${shown}' has a fragment, which redirect URIs must not have (RFC 6749 §3.1.2).` };
  }
  const loopback = url.protocol === "http:" && isLoopbackHostname(url.hostname);
  if (loopback && client.redirectUris.some((registered) => sameLoopbackEndpoint(registered, url))) {
    return { accepted: true, redirectUri: requested };
  }
  if (url.protocol !== "https:" && !loopback) {
    return {
      accepted: false,
      reason: `The redirect_uri '${shown}' is neither https nor a loopback address (http://127.0.0.1, http://[::1], http://localhost): codes are only sent over https, or to this machine.`,
    };
  }
  return { accepted: false, reason: `The redirect_uri '${shown}' is not registered for client '${client.clientId}'.` };
}

/** True when `registered` is a loopback redirect URI with the same host and path as `requested`, any port. */
function sameLoopbackEndpoint(registered: string, requested: URL): boolean {
  if (!URL.canParse(registered)) return false;
  const url = new URL(registered);
  return (
    url.protocol === "http:" &&
    isLoopbackHostname(url.hostname) &&
    url.hostname === requested.hostname &&
    url.pathname === requested.pathname &&
    url.search === requested.search
  );
}
