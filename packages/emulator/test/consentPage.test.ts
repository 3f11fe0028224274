// The target's consent page over HTTP (the browser tests drive it in Chromium): what it shows, how
// Allow and Deny redirect, which redirect URIs it accepts, and forms it refuses.
import { describe, expect, it } from "vitest";
import { shareEmulator } from "./support/sharedEmulator.js";
import { send, type RawResponse } from "./support/httpClient.js";

const shared = shareEmulator();
const browser = { Accept: "text/html,application/xhtml+xml" };

function authorizeUrl(change: Record<string, string | null> = {}): string {
  const url = new URL(shared.emulator.target.authorizationRequestUrl);
  for (const [name, value] of Object.entries(change)) {
    if (value === null) url.searchParams.delete(name);
    else url.searchParams.set(name, value);
  }
  return url.toString();
}

/** The hidden fields and the cookie of a consent page, as a browser would send them back. */
function formOf(page: RawResponse): { fields: URLSearchParams; cookie: string } {
  const fields = new URLSearchParams();
  for (const match of page.body.matchAll(/<input type="hidden" name="([^"]*)" value="([^"]*)">/g)) {
    fields.set(match[1]!, match[2]!.replace(/&#(\d+);/g, (_entity, code: string) => String.fromCharCode(Number(code))));
  }
  const setCookie = page.headers["set-cookie"]?.[0] ?? "";
  return { fields, cookie: setCookie.split(";", 1)[0]! };
}

function post(fields: URLSearchParams, cookie: string | undefined): Promise<RawResponse> {
  return send(`${shared.emulator.targetUrl}/authorize`, {
    method: "POST",
    headers: { "Content-Type": "application/x-www-form-urlencoded", ...(cookie ? { Cookie: cookie } : {}) },
    body: fields.toString(),
  });
}

describe("the consent page (the default)", () => {
  it("names the client and the signed-in user, offers Allow and Deny, and is sent with a CSP without script", async () => {
    const page = await send(authorizeUrl(), { headers: browser });
    expect(page.status).toBe(200);
    expect(page.headers["content-type"]).toBe("text/html; charset=utf-8");
    expect(page.body).toContain("graph-sync demo target");
    expect(page.body).toContain(shared.emulator.target.clientId);
    expect(page.body).toContain("admin@target.example");
    expect(page.body).toMatch(/<button[^>]*value="allow"/);
    expect(page.body).toMatch(/<button[^>]*value="deny"/);
    expect(page.body).not.toContain("<script");
    const csp = String(page.headers["content-security-policy"]);
    expect(csp).toContain("script-src 'none'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).toContain("form-action 'self' https://portal.azure.com");
    expect(page.headers["x-frame-options"]).toBe("DENY");
    expect(page.headers["cache-control"]).toBe("no-store");
    expect(page.headers["set-cookie"]?.[0]).toMatch(/^graph_sync_consent=[\w-]+; Path=\/authorize; HttpOnly; SameSite=Strict/);
    // Nothing secret is on the page: no client secret, no code.
    expect(page.body).not.toContain(shared.emulator.target.clientSecret);
    expect(page.body).not.toContain("tgc_");
  });

  it("Allow redirects (303) with a code and the state; the code is stored and redeemable once", async () => {
    const { fields, cookie } = formOf(await send(authorizeUrl({ state: "s-1" }), { headers: browser }));
    fields.set("decision", "allow");
    const answer = await post(fields, cookie);
    expect(answer.status).toBe(303);
    const back = new URL(String(answer.headers.location));
    expect(`${back.origin}${back.pathname}`).toBe(shared.emulator.target.redirectUri);
    expect(back.searchParams.get("state")).toBe("s-1");
    expect(back.searchParams.get("code")).toMatch(/^tgc_/);
    expect((await shared.emulator.admin.state()).authorizationCodes).toHaveLength(1);
  });

  it("Deny redirects with error=access_denied and the state, and stores no code", async () => {
    const { fields, cookie } = formOf(await send(authorizeUrl({ state: "s-2" }), { headers: browser }));
    fields.set("decision", "deny");
    const answer = await post(fields, cookie);
    expect(answer.status).toBe(303);
    const back = new URL(String(answer.headers.location));
    expect(Object.fromEntries(back.searchParams)).toEqual({
      state: "s-2",
      error: "access_denied",
      error_description: "The user denied the request at the consent page.",
    });
    expect((await shared.emulator.admin.state()).authorizationCodes).toHaveLength(0);
  });

  it("refuses a form without its cookie, with a forged token, or with a changed hidden field, and stores nothing", async () => {
    const { fields, cookie } = formOf(await send(authorizeUrl(), { headers: browser }));
    fields.set("decision", "allow");
    const forged = new URLSearchParams(fields);
    forged.set("anti_forgery_token", "A".repeat(43));
    const moved = new URLSearchParams(fields);
    moved.set("redirect_uri", "http://127.0.0.1:9/callback");
    for (const [form, sentCookie] of [
      [fields, undefined],
      [forged, cookie],
      [moved, cookie],
      [fields, "graph_sync_consent=planted-by-another-page"],
    ] as const) {
      const answer = await post(form, sentCookie);
      expect(answer.status).toBe(400);
      expect(answer.headers.location).toBeUndefined();
      expect(answer.body).toContain("This request could not be verified");
    }
    expect((await shared.emulator.admin.state()).authorizationCodes).toHaveLength(0);
  });

  it("accepts a registered loopback redirect URI on any port (RFC 8252)", async () => {
    for (const redirectUri of ["http://127.0.0.1:49152/callback", "http://localhost:8080/callback", "http://127.0.0.1/callback"]) {
      const page = await send(authorizeUrl({ redirect_uri: redirectUri }), { headers: browser });
      expect(page.status).toBe(200);
      expect(String(page.headers["content-security-policy"])).toContain(`form-action 'self' ${new URL(redirectUri).origin}`);
    }
  });

  it("shows a page, and never redirects, for an unregistered, non-https or unknown-client request", async () => {
    const cases: Array<[Record<string, string | null>, string]> = [
      [{ redirect_uri: "https://attacker.example.test/" }, "is not registered for client"],
      [{ redirect_uri: "http://attacker.example.test/callback" }, "is neither https nor a loopback address"],
      [{ redirect_uri: "http://127.0.0.1:5000/elsewhere" }, "is not registered for client"],
      [{ redirect_uri: "https://portal.azure.com/TokenAuthorize#x" }, "has a fragment"],
      [{ redirect_uri: null }, "redirect_uri is required"],
      [{ client_id: "nobody" }, "Unknown client_id"],
    ];
    for (const [change, reason] of cases) {
      const page = await send(authorizeUrl(change), { headers: browser });
      expect(page.status).toBe(400);
      expect(page.headers.location).toBeUndefined();
      expect(page.headers["content-type"]).toBe("text/html; charset=utf-8");
      expect(page.body).toContain(reason);
    }
  });

  it("escapes every value it echoes", async () => {
    const hostile = `"><script>alert(1)</script><img src=x onerror=alert(2)>'`;
    const page = await send(authorizeUrl({ state: hostile, scope: hostile }), { headers: browser });
    expect(page.status).toBe(200);
    expect(page.body).not.toContain("<script>alert");
    expect(page.body).not.toContain("<img src=x");
    expect(page.body).toContain("&#60;script&#62;alert(1)&#60;/script&#62;");
    const refused = await send(authorizeUrl({ redirect_uri: `https://x.test/${hostile}`, client_id: shared.emulator.target.clientId }), { headers: browser });
    expect(refused.body).not.toContain("<script>alert");
  });
});
