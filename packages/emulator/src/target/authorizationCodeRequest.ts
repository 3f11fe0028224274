import { randomUUID } from "node:crypto";

/** The URL a browser opens to ask the target for a code (it shows the consent page, or with auto-consent redirects at once). */
export function authorizationRequestUrl(targetUrl: string, client: { clientId: string; redirectUri: string; state?: string }): string {
  const url = new URL(`${targetUrl}/authorize`);
  url.searchParams.set("response_type", "code");
  url.searchParams.set("client_id", client.clientId);
  url.searchParams.set("redirect_uri", client.redirectUri);
  if (client.state !== undefined) url.searchParams.set("state", client.state);
  return url.toString();
}

/**
 * Drives the target's authorize endpoint over HTTP as a person with a browser would, without
 * following the redirect back: GET the consent page, POST Allow with the page's anti-forgery token
 * and cookie, and read the single-use code from the redirect. With auto-consent the GET already
 * redirects, and that code is taken.
 */
export async function requestAuthorizationCode(targetUrl: string, client: { clientId: string; redirectUri: string }): Promise<string> {
  const state = randomUUID();
  const page = await fetch(authorizationRequestUrl(targetUrl, { ...client, state }), { redirect: "manual", headers: { Accept: "text/html" } });
  if (page.status === 302) {
    await page.body?.cancel();
    return codeFrom(page, state);
  }
  const markup = await page.text();
  if (page.status !== 200) throw new Error(`The target's authorize endpoint answered ${page.status} instead of its consent page.`);
  const form = new URLSearchParams(hiddenFields(markup));
  form.set("decision", "allow");
  const cookie = page.headers.get("set-cookie")?.split(";", 1)[0];
  const decided = await fetch(`${targetUrl}/authorize`, {
    method: "POST",
    redirect: "manual",
    headers: { "Content-Type": "application/x-www-form-urlencoded", ...(cookie ? { Cookie: cookie } : {}) },
    body: form.toString(),
  });
  await decided.body?.cancel();
  if (decided.status !== 303) throw new Error(`The target answered ${decided.status} to Allow instead of redirecting with a code.`);
  return codeFrom(decided, state);
}

function codeFrom(response: Response, state: string): string {
  const location = response.headers.get("location");
  if (!location) throw new Error(`The target answered ${response.status} without a Location to redirect to.`);
  const redirect = new URL(location);
  const code = redirect.searchParams.get("code");
  if (!code || redirect.searchParams.get("state") !== state) {
    throw new Error(`The target redirected without a code (error: ${redirect.searchParams.get("error") ?? "none"}).`);
  }
  return code;
}

/** The hidden inputs of the consent page's form (the emulator's own markup: `name` before `value`, values escaped as `&#NN;`). */
function hiddenFields(markup: string): Array<[string, string]> {
  const fields: Array<[string, string]> = [];
  for (const match of markup.matchAll(/<input type="hidden" name="([^"]*)" value="([^"]*)">/g)) {
    fields.push([unescapeHtml(match[1] ?? ""), unescapeHtml(match[2] ?? "")]);
  }
  return fields;
}

function unescapeHtml(value: string): string {
  return value.replace(/&#(\d+);/g, (_entity, code: string) => String.fromCharCode(Number(code)));
}
