import { createHmac, randomBytes, timingSafeEqual } from "node:crypto";
import type { IncomingMessage } from "node:http";

/**
 * Anti-forgery tokens of the emulator's forms (the signed double-submit cookie pattern of OWASP's
 * CSRF cheat sheet): a page sets a random nonce in an HttpOnly, SameSite=Strict cookie and puts an
 * HMAC of that nonce, the form's purpose and the values its hidden fields carry in the form. A POST
 * is accepted only when the form's token is the HMAC of the nonce its cookie brings. A page on
 * another site cannot read the token, cannot send the cookie (SameSite), and cannot make a token
 * for a cookie it planted (a page on another loopback port can set cookies for 127.0.0.1, as
 * cookies ignore ports) without the key, which never leaves the process. Changing a hidden field
 * (another redirect URI, state or user code) breaks the token too.
 */
export class AntiForgery {
  private readonly key = randomBytes(32);

  constructor(
    /** The cookie's name; one per host, so that the consent page and /devicelogin never share one. */
    private readonly cookieName: string,
    /** The path the cookie is sent to. */
    private readonly cookiePath: string,
  ) {}

  /** A fresh token for a form with these bound values, and the Set-Cookie header that goes with it. */
  issue(purpose: string, bound: readonly string[]): { token: string; setCookie: string } {
    const nonce = randomBytes(24).toString("base64url");
    return {
      token: this.sign(nonce, purpose, bound),
      setCookie: `${this.cookieName}=${nonce}; Path=${this.cookiePath}; HttpOnly; SameSite=Strict; Max-Age=3600`,
    };
  }

  /** True when the form's token was issued by this process, for this purpose and these values, to this browser. */
  verify(request: IncomingMessage, token: string | null, purpose: string, bound: readonly string[]): boolean {
    const nonce = readCookie(request.headers.cookie, this.cookieName);
    if (!nonce || !token) return false;
    const expected = Buffer.from(this.sign(nonce, purpose, bound));
    const presented = Buffer.from(token);
    return presented.length === expected.length && timingSafeEqual(presented, expected);
  }

  private sign(nonce: string, purpose: string, bound: readonly string[]): string {
    // JSON keeps the parts apart: no choice of values can make two different lists sign the same.
    return createHmac("sha256", this.key).update(JSON.stringify([nonce, purpose, ...bound])).digest("base64url");
  }
}

function readCookie(header: string | undefined, name: string): string | undefined {
  if (!header || header.length > 8192) return undefined;
  for (const part of header.split(";")) {
    const separator = part.indexOf("=");
    if (separator > 0 && part.slice(0, separator).trim() === name) return part.slice(separator + 1).trim();
  }
  return undefined;
}
