import type { IncomingMessage, ServerResponse } from "node:http";
import { sendRendered, type RenderedResponse } from "../http/host.js";
import { readFormBody, RequestBodyTooLargeError } from "../http/incomingRequest.js";
import { annotateRequest } from "../http/requestLog.js";
import { AntiForgery } from "../pages/antiForgery.js";
import { html, renderPage, type SafeHtml } from "../pages/htmlPage.js";
import { approveDeviceCode, declineDeviceCode, DeviceCodeDecisionError, type DeviceCodeFlowDependencies } from "./deviceCodeFlow.js";
import type { DeviceCodeRecord } from "./deviceCodes.js";
import { entraErrors } from "./loginErrors.js";

const brand = "Microsoft Entra ID · graph-sync emulator";
const maxFormInBytes = 16 * 1024;
const enterCodePurpose = "devicelogin enter code";
const decidePurpose = "devicelogin decide";

/**
 * The verification page of the device code flow (`/devicelogin`, the page the device code message
 * names), in Entra's steps: enter the code; pick the account to sign in as and confirm the app
 * ("Are you trying to sign in to …?") with Continue or Cancel; then "you may close this window".
 * Wrong, expired and already used codes are answered on the page. What the person decides is what
 * the admin API's approve and decline do.
 */
export function createDeviceLoginPage(dependencies: Pick<DeviceCodeFlowDependencies, "store" | "clock" | "deviceCodes">) {
  const antiForgery = new AntiForgery("graph_sync_devicelogin", "/devicelogin");

  return async function serveDeviceLogin(request: IncomingMessage, response: ServerResponse): Promise<void> {
    if (request.method === "GET") {
      sendRendered(response, enterCodePage(antiForgery));
      return;
    }
    if (request.method !== "POST") throw entraErrors.wrongMethod("GET or POST", (request.method ?? "").slice(0, 20));
    let form: URLSearchParams;
    try {
      form = await readFormBody(request, maxFormInBytes);
    } catch (error) {
      if (!(error instanceof RequestBodyTooLargeError)) throw error;
      sendRendered(response, enterCodePage(antiForgery, "The form was too large.", 413));
      return;
    }
    const userCode = (form.get("otc") ?? "").trim().replaceAll("-", "").toUpperCase().slice(0, 64);
    if (form.get("step") === "decide") {
      if (!antiForgery.verify(request, form.get("anti_forgery_token"), decidePurpose, [userCode])) {
        annotateRequest(request, { errorCode: "invalid_anti_forgery_token" });
        sendRendered(response, enterCodePage(antiForgery, "This sign-in could not be verified (the form's anti-forgery token does not match). Enter the code again.", 400));
        return;
      }
      sendRendered(response, decide(form, userCode, dependencies, antiForgery));
      return;
    }
    if (!antiForgery.verify(request, form.get("anti_forgery_token"), enterCodePurpose, [])) {
      annotateRequest(request, { errorCode: "invalid_anti_forgery_token" });
      sendRendered(response, enterCodePage(antiForgery, "This page could not be verified (the form's anti-forgery token does not match). Enter the code again.", 400));
      return;
    }
    const problem = codeProblem(dependencies.deviceCodes.findByUserCode(userCode), userCode, dependencies.clock());
    if (problem !== undefined) {
      annotateRequest(request, { errorCode: "invalid_user_code" });
      sendRendered(response, enterCodePage(antiForgery, problem, 400));
      return;
    }
    sendRendered(response, pickAccountPage(dependencies.deviceCodes.findByUserCode(userCode)!, dependencies, antiForgery));
  };
}

/** Why a code cannot be used at the page, in the words Entra's page uses; `undefined` when it can. */
function codeProblem(record: DeviceCodeRecord | undefined, userCode: string, now: number): string | undefined {
  if (userCode === "") return "Enter the code displayed on your app or device.";
  if (!record) return "That code didn't work. Check the code and try again.";
  if (now >= record.expiresAt) return "That code has expired. Go back to your app or device and start the sign-in again to get a new code.";
  if (record.status !== "pending") return "That code has already been used. Go back to your app or device and start the sign-in again to get a new code.";
  return undefined;
}

function enterCodePage(antiForgery: AntiForgery, problem?: string, status = 200): RenderedResponse {
  const { token, setCookie } = antiForgery.issue(enterCodePurpose, []);
  return renderPage({
    title: "Enter code",
    brand,
    status,
    headers: { "Set-Cookie": setCookie },
    body: html`${problem === undefined ? "" : html`<p class="problem" id="problem">${problem}</p>`}
<p>Enter the code displayed on your app or device.</p>
<form method="post" action="/devicelogin">
<label for="otc">Code</label>
<input type="text" id="otc" name="otc" autocomplete="off" autofocus maxlength="64" placeholder="Code">
<input type="hidden" name="anti_forgery_token" value="${token}">
<div class="actions"><button type="submit" id="next" class="primary">Next</button></div>
</form>`,
  });
}

function pickAccountPage(
  record: DeviceCodeRecord,
  dependencies: Pick<DeviceCodeFlowDependencies, "store">,
  antiForgery: AntiForgery,
): RenderedResponse {
  const { store } = dependencies;
  const application = store.findClientApplication(record.tenantId, record.clientId);
  const appName = application?.displayName || record.clientId;
  const users = store.usersOfTenant(record.tenantId);
  const { token, setCookie } = antiForgery.issue(decidePurpose, [record.userCode]);
  const accounts: SafeHtml[] = users.map(
    (user, index) =>
      html`<label class="account"><input type="radio" name="user" value="${user.id}"${index === 0 ? html` checked` : ""}> ${user.displayName} <br><small>${user.userPrincipalName}</small></label>`,
  );
  return renderPage({
    title: "Are you trying to sign in to " + appName + "?",
    brand,
    headers: { "Set-Cookie": setCookie },
    body: html`<p>Only continue if you started this sign-in from an app or device that you trust. Continue lets <strong>${appName}</strong> act as the account you pick, with the permissions consented for it.</p>
<form method="post" action="/devicelogin">
<p>Pick an account</p>
${users.length === 0 ? html`<p class="problem" id="problem">The tenant has no users to sign in as: seed one (POST /seed with users) and enter the code again.</p>` : accounts}
<input type="hidden" name="step" value="decide">
<input type="hidden" name="otc" value="${record.userCode}">
<input type="hidden" name="anti_forgery_token" value="${token}">
<div class="actions">
<button type="submit" name="decision" value="decline" id="decline">Cancel</button>
${users.length === 0 ? "" : html`<button type="submit" name="decision" value="approve" id="continue" class="primary">Continue</button>`}
</div>
</form>`,
  });
}

function decide(
  form: URLSearchParams,
  userCode: string,
  dependencies: Pick<DeviceCodeFlowDependencies, "store" | "clock" | "deviceCodes">,
  antiForgery: AntiForgery,
): RenderedResponse {
  const record = dependencies.deviceCodes.findByUserCode(userCode);
  const appName = (record && dependencies.store.findClientApplication(record.tenantId, record.clientId)?.displayName) || record?.clientId || "the app";
  try {
    if (form.get("decision") === "approve") {
      const user = form.get("user") ?? "";
      approveDeviceCode(dependencies, userCode, user);
      const signedIn = record && dependencies.store.findUser(record.tenantId, user);
      return finishedPage(
        "You're signed in",
        html`<p id="outcome">You have signed in to the <strong>${appName}</strong> application on your device${signedIn ? html` as ${signedIn.userPrincipalName}` : ""}. You may now close this window.</p>`,
      );
    }
    if (form.get("decision") === "decline") {
      declineDeviceCode(dependencies, userCode);
      return finishedPage(
        "Sign-in cancelled",
        html`<p id="outcome">You declined to sign in to <strong>${appName}</strong>; the app is told so. You may now close this window.</p>`,
      );
    }
    return enterCodePage(antiForgery, "Choose Continue or Cancel. Enter the code again.", 400);
  } catch (error) {
    if (!(error instanceof DeviceCodeDecisionError)) throw error;
    const problem =
      codeProblem(record, userCode, dependencies.clock()) ??
      (error.status === 400 ? "That account is not in the tenant the code was issued for. Pick one of the accounts shown." : error.message);
    return enterCodePage(antiForgery, problem, 400);
  }
}

function finishedPage(title: string, body: SafeHtml): RenderedResponse {
  return renderPage({ title, brand, body: html`${body}<p class="note">graph-sync emulator: nothing was signed in for real.</p>` });
}
