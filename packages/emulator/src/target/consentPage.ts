import type { RenderedResponse } from "../http/host.js";
import { html, renderPage } from "../pages/htmlPage.js";
import type { TargetClientRecord } from "../state/model.js";

/** Who shows these pages. */
const brand = "Emulated provisioning target · graph-sync emulator";

/**
 * The person signed in at the emulated target. A real SaaS app would first ask them to sign in; the
 * emulated target has this one account and no password, so the consent page is the only step.
 */
export const targetDemoUser = { displayName: "Target demo administrator", userName: "admin@target.example" } as const;

/** The authorization request the consent page asks about; its fields travel in hidden inputs. */
export interface ConsentRequest {
  clientId: string;
  redirectUri: string;
  scope: string;
  state: string | null;
}

/** The values the consent form's anti-forgery token is bound to: changing any hidden field breaks it. */
export function consentBinding(request: ConsentRequest): string[] {
  return [request.clientId, request.redirectUri, request.scope, request.state ?? "\u0000no state"];
}

/** The consent page: who asks, as whom, for what, where the browser goes next, and Allow / Deny. */
export function renderConsentPage(client: TargetClientRecord, request: ConsentRequest, antiForgeryToken: string, setCookie: string): RenderedResponse {
  const returnsTo = new URL(request.redirectUri);
  return renderPage({
    title: "Allow access to your account?",
    brand,
    formTargets: [returnsTo.origin],
    headers: { "Set-Cookie": setCookie },
    body: html`<p><strong>${client.displayName || client.clientId}</strong> asks to access your account at this target.</p>
<dl class="facts">
<dt>Signed in as</dt><dd>${targetDemoUser.displayName} (${targetDemoUser.userName})</dd>
<dt>Client ID</dt><dd>${client.clientId}</dd>
<dt>Scope</dt><dd>${request.scope || "(none requested)"}</dd>
<dt>You will be sent back to</dt><dd>${returnsTo.origin}${returnsTo.pathname}</dd>
</dl>
<p>Allow gives it a single-use code that it exchanges for tokens to act on your behalf. Deny sends it back without one.</p>
<form method="post" action="/authorize">
<input type="hidden" name="client_id" value="${request.clientId}">
<input type="hidden" name="redirect_uri" value="${request.redirectUri}">
<input type="hidden" name="scope" value="${request.scope}">
${request.state === null ? "" : html`<input type="hidden" name="state" value="${request.state}">`}
<input type="hidden" name="anti_forgery_token" value="${antiForgeryToken}">
<div class="actions">
<button type="submit" name="decision" value="deny" id="deny">Deny</button>
<button type="submit" name="decision" value="allow" id="allow" class="primary">Allow</button>
</div>
</form>`,
  });
}

/**
 * The page for a request the target will not redirect back from (unknown client, a redirect URI it
 * cannot trust) or a form it cannot trust (a forged or stale anti-forgery token).
 */
export function renderRefusalPage(title: string, reason: string, whatToDo: string): RenderedResponse {
  return renderPage({
    title,
    brand,
    status: 400,
    body: html`<p class="problem" id="problem">${reason}</p>
<p>${whatToDo}</p>
<p class="note">Nothing was stored and you were not sent anywhere.</p>`,
  });
}
