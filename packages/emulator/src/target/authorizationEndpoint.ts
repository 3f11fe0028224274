import type { IncomingMessage, ServerResponse } from "node:http";
import type { EmulatorClock } from "../clock.js";
import { sendRendered } from "../http/host.js";
import { readFormBody, RequestBodyTooLargeError } from "../http/incomingRequest.js";
import { annotateRequest } from "../http/requestLog.js";
import type { AntiForgery } from "../pages/antiForgery.js";
import { wantsHtml } from "../pages/htmlPage.js";
import type { TargetClientRecord } from "../state/model.js";
import type { EmulatorStore } from "../state/store.js";
import { issueAuthorizationCode } from "./authorizationCodes.js";
import { consentBinding, renderConsentPage, renderRefusalPage, type ConsentRequest } from "./consentPage.js";
import { checkRedirectUri } from "./redirectUriPolicy.js";
import { OAuthError, OAuthErrorPage } from "./targetErrors.js";

const maxConsentFormInBytes = 64 * 1024;
const consentPurpose = "target consent";

export interface AuthorizationEndpointDependencies {
  store: EmulatorStore;
  clock: EmulatorClock;
  authorizationCodeLifetimeInSeconds: number;
  /** Redirect with a code at once, without the consent page (`--auto-consent`). */
  autoConsent: () => boolean;
  antiForgery: AntiForgery;
}

/**
 * `GET /authorize` (RFC 6749 §4.1.1): checks the client and the redirect URI, then shows the
 * consent page, or with auto-consent redirects back with a code at once.
 */
export async function authorize(request: IncomingMessage, response: ServerResponse, url: URL, dependencies: AuthorizationEndpointDependencies) {
  const { client, consent } = trustedRequest(request, url.searchParams, dependencies.store);
  if (url.searchParams.get("response_type") !== "code") {
    redirectBack(request, response, consent, {
      error: "unsupported_response_type",
      error_description: "This authorization server only issues authorization codes (response_type=code).",
    });
    return;
  }
  if (dependencies.autoConsent()) {
    await allow(response, consent, dependencies, 302);
    return;
  }
  const { token, setCookie } = dependencies.antiForgery.issue(consentPurpose, consentBinding(consent));
  sendRendered(response, renderConsentPage(client, consent, token, setCookie));
}

/** `POST /authorize`: the consent page's Allow or Deny, accepted only with its anti-forgery token. */
export async function decideConsent(request: IncomingMessage, response: ServerResponse, _url: URL, dependencies: AuthorizationEndpointDependencies) {
  let form: URLSearchParams;
  try {
    form = await readFormBody(request, maxConsentFormInBytes);
  } catch (error) {
    if (!(error instanceof RequestBodyTooLargeError)) throw error;
    throw new OAuthError(413, "invalid_request", error.message);
  }
  const { consent } = trustedRequest(request, form, dependencies.store);
  if (!dependencies.antiForgery.verify(request, form.get("anti_forgery_token"), consentPurpose, consentBinding(consent))) {
    annotateRequest(request, { errorCode: "invalid_anti_forgery_token" });
    sendRendered(
      response,
      renderRefusalPage(
        "This request could not be verified",
        "The form was not sent by the consent page this browser was shown, or it was changed on the way (its anti-forgery token does not match).",
        "Start again from the application that sent you here.",
      ),
    );
    return;
  }
  const decision = form.get("decision");
  if (decision === "allow") {
    await allow(response, consent, dependencies, 303);
    return;
  }
  if (decision === "deny") {
    annotateRequest(request, { errorCode: "access_denied" });
    redirectBack(request, response, consent, { error: "access_denied", error_description: "The user denied the request at the consent page." });
    return;
  }
  throw new OAuthError(400, "invalid_request", "decision must be allow or deny.");
}

/**
 * The client and redirect URI of a request, both checked. Without a known client and a redirect URI
 * the target trusts there is nowhere safe to send an error to (RFC 6749 §4.1.2.1), so these are
 * answered directly: a page for a browser, the JSON error for a script.
 */
function trustedRequest(
  request: IncomingMessage,
  parameters: URLSearchParams,
  store: EmulatorStore,
): { client: TargetClientRecord; consent: ConsentRequest } {
  const clientId = parameters.get("client_id") ?? "";
  const client = store.findTargetClient(clientId);
  if (!client) refuse(request, "The application that sent you here is not known", `Unknown client_id '${clientId.slice(0, 100)}'.`);
  const check = checkRedirectUri(client, parameters.get("redirect_uri"));
  if (!check.accepted) refuse(request, "The address to send you back to is not allowed", check.reason);
  return {
    client,
    consent: { clientId, redirectUri: check.redirectUri, scope: parameters.get("scope") ?? "", state: parameters.get("state") },
  };
}

function refuse(request: IncomingMessage, title: string, reason: string): never {
  const error = new OAuthError(400, "invalid_request", reason);
  if (!wantsHtml(request.headers.accept)) throw error;
  throw new OAuthErrorPage(
    error,
    renderRefusalPage(title, reason, "Tell the application's owner: its authorization request does not match its registration at this target."),
  );
}

async function allow(response: ServerResponse, consent: ConsentRequest, dependencies: AuthorizationEndpointDependencies, status: 302 | 303) {
  const { store, clock } = dependencies;
  const code = await store.commit(() =>
    issueAuthorizationCode(store, clock, {
      clientId: consent.clientId,
      redirectUri: consent.redirectUri,
      scope: consent.scope,
      lifetimeInSeconds: dependencies.authorizationCodeLifetimeInSeconds,
    }),
  );
  sendRedirect(response, status, consent, { code });
}

function redirectBack(request: IncomingMessage, response: ServerResponse, consent: ConsentRequest, parameters: Record<string, string>) {
  annotateRequest(request, { errorCode: parameters.error ?? "" });
  sendRedirect(response, request.method === "POST" ? 303 : 302, consent, parameters);
}

function sendRedirect(response: ServerResponse, status: 302 | 303, consent: ConsentRequest, parameters: Record<string, string>) {
  const back = new URL(consent.redirectUri);
  if (consent.state !== null) back.searchParams.set("state", consent.state);
  for (const [name, value] of Object.entries(parameters)) back.searchParams.set(name, value);
  response.writeHead(status, { Location: back.toString(), "Cache-Control": "no-store", "Referrer-Policy": "no-referrer" }).end();
}
