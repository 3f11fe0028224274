import { createAuthorizationRequest, readAuthorizationResponse } from "@graph-sync/sdk/authorization";

/** The emulated target's OAuth client, as the emulator describes it. */
export interface TargetClient {
  authorizeUrl: string;
  clientId: string;
  redirectUri: string;
}

/**
 * The Authorize step as a person does it, over plain HTTP instead of a browser: the SDK builds the
 * authorization request (with a fresh state), the target's consent page is fetched, its form is
 * sent back with Allow (the page's hidden fields, its anti-forgery token and cookie, as a browser
 * sends them), and the SDK reads the code from the address the target redirects to, checking the
 * state. The redirect itself is not followed to the portal (there is no network here): its address
 * is all that a person would copy.
 */
export async function authorizeThroughConsentPage(target: TargetClient, signal: AbortSignal): Promise<string> {
  const request = createAuthorizationRequest({ authorizationUrl: target.authorizeUrl, clientId: target.clientId, redirectUri: target.redirectUri });
  const bounded = AbortSignal.any([signal, AbortSignal.timeout(10_000)]);
  const page = await fetch(request.url, { headers: { Accept: "text/html" }, redirect: "manual", signal: bounded });
  const markup = await page.text();
  if (page.status !== 200) throw new Error(`The target's consent page answered ${page.status} instead of showing the page.`);
  const form = new URLSearchParams();
  for (const [, name, value] of markup.matchAll(/<input type="hidden" name="([^"]*)" value="([^"]*)">/g)) {
    form.set(decodeEntities(name!), decodeEntities(value!));
  }
  form.set("decision", "allow");
  const decision = await fetch(new URL("/authorize", request.url), {
    method: "POST",
    redirect: "manual",
    headers: { "Content-Type": "application/x-www-form-urlencoded", Cookie: (page.headers.get("set-cookie") ?? "").split(";", 1)[0]! },
    body: form.toString(),
    signal: bounded,
  });
  await decision.body?.cancel();
  const location = decision.headers.get("location");
  if (decision.status !== 303 || !location) throw new Error(`The target answered ${decision.status} to Allow instead of redirecting.`);
  return readAuthorizationResponse(location, { state: request.state, redirectUri: request.redirectUri }).code;
}

/** The page escapes values as numeric character references (`&#34;`). */
function decodeEntities(value: string): string {
  return value.replace(/&#(\d+);/g, (_entity, code: string) => String.fromCharCode(Number(code)));
}
