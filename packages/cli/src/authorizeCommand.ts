import { createCredentialFromEnvironment } from "@graph-sync/sdk";
import {
  createAuthorizationRequest,
  isAuthorizationFlowError,
  isLoopbackHttp,
  readAuthorizationResponse,
  type AuthorizationFlowError,
} from "@graph-sync/sdk/authorization";
import { validateCredentials } from "@graph-sync/sdk/tooling";
import { sendCredentialsToGraph, targetFromArguments } from "./acquireTokenCommand.js";
import type { CliIo, CliOutput } from "./cliIo.js";
import { connectionOptions, parseApiVersion, parseCloud } from "./commonOptions.js";
import { ExitCode, type ExitCodeValue } from "./exitCodes.js";
import { AUTHORIZE_HELP, DEFAULT_AUTHORIZE_TIMEOUT_IN_SECONDS as defaultTimeoutInSeconds } from "./help.js";
import { listenForRedirect, type LoopbackListener } from "./loopbackListener.js";
import { parseCommandLine } from "./parseCommandLine.js";
import { InterruptedPaste, readPastedRedirect } from "./pastedRedirect.js";
import { readTargetClientSecret, TARGET_SECRET_ENV_VAR } from "./readTargetClientSecret.js";
import { UsageError } from "./usageError.js";


const authorizeOptions = {
  ...connectionOptions,
  "service-principal": { type: "string" },
  application: { type: "string" },
  "authorization-url": { type: "string" },
  "token-url": { type: "string" },
  "client-id": { type: "string" },
  "redirect-uri": { type: "string" },
  scope: { type: "string" },
  "client-secret-file": { type: "string" },
  "no-browser": { type: "boolean" },
  timeout: { type: "string" },
  "device-code": { type: "boolean" },
  trace: { type: "boolean" },
} as const;

export function parseAuthorizeArguments(args: readonly string[]) {
  return parseCommandLine("authorize", args, authorizeOptions);
}

/** Opens a URL in the system browser; a test or an embedding program may supply its own. */
export type BrowserOpener = (url: string) => Promise<void>;

/** The system browser, through the `open` package (loaded only when a browser is to be opened). */
const systemBrowser: BrowserOpener = async (url) => {
  const { default: open } = await import("open");
  const child = await open(url, { wait: false });
  // `open` reports a missing opener (no xdg-open, no display) as an error event, not a rejection.
  await new Promise<void>((resolve, reject) => {
    child.once("error", reject);
    child.once("spawn", () => resolve());
  });
  child.unref();
};

/**
 * `graph-sync authorize`: the Entra admin center's Authorize button from a terminal. Sends the
 * person's browser to the target's authorization endpoint, receives the redirect (on a loopback
 * listener, or pasted), checks its state, and hands the code with the target's client id, secret,
 * redirect URI and endpoints to acquireAccessToken, called as acquire-token calls it.
 */
export async function authorizeCommand(
  values: ReturnType<typeof parseAuthorizeArguments>,
  io: CliIo,
  output: CliOutput,
  signal: AbortSignal,
  openBrowser: BrowserOpener = systemBrowser,
): Promise<ExitCodeValue> {
  if (values.help) {
    output.out(AUTHORIZE_HELP);
    return ExitCode.success;
  }
  const { target, resolved } = targetFromArguments(values);
  const cloud = parseCloud(values.cloud);
  const apiVersion = parseApiVersion(values["api-version"]);
  const authorizationUrl = requireEndpoint("--authorization-url", values["authorization-url"], "the target's OAuth authorization endpoint");
  const tokenUrl = requireEndpoint("--token-url", values["token-url"], "the target's OAuth token endpoint");
  const clientId = values["client-id"]?.trim();
  if (!clientId) throw new UsageError("--client-id is required: the OAuth client id the target application issued for provisioning.");
  const redirectUri = requireRedirectUri(values["redirect-uri"]);
  const timeoutInSeconds = parseTimeout(values.timeout);
  const loopback = isLoopbackHttp(redirectUri);
  if (!loopback && values["client-secret-file"] === "-" && !io.stdin.isTTY) {
    throw new UsageError(
      `--client-secret-file - and the pasted redirect address both need stdin. Put the secret in a file or ${TARGET_SECRET_ENV_VAR}, or use a loopback --redirect-uri.`,
    );
  }
  const clientSecret = await readTargetClientSecret(values["client-secret-file"], io, output);
  output.addSecrets([clientSecret]);
  // The caller's app credentials are checked before the browser is sent anywhere: a missing
  // AZURE_* variable should not cost the person a sign-in. (--device-code signs in at the call.)
  if (!values["device-code"]) {
    await createCredentialFromEnvironment({
      env: io.env,
      ...(cloud && { cloud }),
      ...(values["authority-host"] && { authorityHost: values["authority-host"] }),
    });
  }

  const waiting = AbortSignal.any([signal, AbortSignal.timeout(timeoutInSeconds * 1000)]);
  let listener: LoopbackListener | undefined;
  try {
    let code: string;
    let sentRedirectUri: string;
    try {
      listener = loopback ? await listenForRedirect(redirectUri) : undefined;
      sentRedirectUri = listener?.redirectUri ?? redirectUri.toString();
      const request = createAuthorizationRequest({
        authorizationUrl: authorizationUrl.toString(),
        clientId,
        redirectUri: sentRedirectUri,
        ...(values.scope !== undefined && { scope: values.scope }),
      });
      await sendBrowser(request.url, values["no-browser"] === true, output, openBrowser);
      let redirectedTo: string;
      if (listener) {
        output.err(`Waiting for the target to redirect to ${sentRedirectUri} (up to ${timeoutInSeconds} s; Ctrl+C stops).`);
        redirectedTo = (await listener.redirect(waiting)).toString();
      } else {
        output.err(`After you choose Allow, the browser ends on ${redirectUri.origin}${redirectUri.pathname}?code=…`);
        output.err("Copy that whole address from the address bar and paste it here (it is not shown), then press Enter:");
        redirectedTo = await readPastedRedirect(io, waiting);
      }
      ({ code } = readAuthorizationResponse(redirectedTo, { state: request.state, redirectUri: sentRedirectUri }));
    } catch (error) {
      return reportWaitFailure(error, { signal, waiting, timeoutInSeconds, json: values.json === true }, output);
    }
    output.addSecrets([code]);
    output.err("✔ The target redirected back with an authorization code; handing it to Graph.");

    const credentials = validateCredentials([
      { key: "Oauth2AuthorizationCode", value: code },
      { key: "Oauth2RedirectUri", value: sentRedirectUri },
      { key: "Oauth2ClientId", value: clientId },
      { key: "Oauth2ClientSecret", value: clientSecret },
      { key: "Oauth2AuthorizationUri", value: authorizationUrl.toString() },
      { key: "Oauth2TokenExchangeUri", value: tokenUrl.toString() },
    ]);
    return await sendCredentialsToGraph({ values, target, resolved, cloud, apiVersion, credentials }, io, output, signal);
  } finally {
    await listener?.close();
  }
}

/**
 * A failure before anything was sent to Graph: the redirect's (reported by name, exit 9), Ctrl+C
 * (130), the --timeout (9); anything else (a port in use) goes to the CLI's own error report.
 */
function reportWaitFailure(
  error: unknown,
  context: { signal: AbortSignal; waiting: AbortSignal; timeoutInSeconds: number; json: boolean },
  output: CliOutput,
): ExitCodeValue {
  if (isAuthorizationFlowError(error)) return reportFlowFailure(error, context.json, output);
  if (error instanceof UsageError) throw error;
  if (error instanceof InterruptedPaste || context.signal.aborted) {
    return reportFlowFailure(
      { message: "Interrupted (Ctrl+C) while waiting for the target's redirect: nothing was sent to Graph.", reason: "interrupted" },
      context.json,
      output,
      ExitCode.interrupted,
    );
  }
  if (context.waiting.aborted) {
    return reportFlowFailure(
      {
        message:
          `No redirect arrived within ${context.timeoutInSeconds} s: nothing was sent to Graph. ` +
          "Finish the sign-in and consent in the browser sooner, or run again with a longer --timeout.",
        reason: "timeout",
      },
      context.json,
      output,
    );
  }
  throw error;
}

async function sendBrowser(url: string, noBrowser: boolean, output: CliOutput, openBrowser: BrowserOpener): Promise<void> {
  if (noBrowser) {
    output.err("Open this address in a browser, sign in to the target and choose Allow:");
    output.err(url);
    return;
  }
  try {
    await openBrowser(url);
    output.err("Opened the target's authorization page in your browser. If it did not open, visit:");
  } catch {
    output.err("Could not open a browser here (no display or opener). Open this address in a browser yourself:");
  }
  output.err(url);
}

function reportFlowFailure(
  error: Pick<AuthorizationFlowError, "message" | "reason"> & Partial<Pick<AuthorizationFlowError, "error" | "errorDescription">> | { message: string; reason: string },
  json: boolean,
  output: CliOutput,
  exitCode: ExitCodeValue = ExitCode.notAuthorized,
): ExitCodeValue {
  if (json) {
    output.json({ ok: false, exitCode, error: { name: "AuthorizationFlowError", ...error, message: error.message } });
  } else {
    output.err(`✖ ${error.message}`);
    if ("error" in error && error.error !== undefined) output.err(`  error: ${error.error}`);
  }
  return exitCode;
}

function requireEndpoint(flag: string, value: string | undefined, what: string): URL {
  if (value === undefined || value.trim() === "") throw new UsageError(`${flag} is required: ${what} (from the target's documentation).`);
  if (!URL.canParse(value)) throw new UsageError(`${flag} must be an absolute URL: ${what}, for example https://app.example.com/oauth/…`);
  const url = new URL(value);
  if (url.protocol !== "https:" && !isLoopbackHttp(url)) {
    throw new UsageError(`${flag} must be https (http only on 127.0.0.1, [::1] or localhost, for a local server such as the emulator).`);
  }
  return url;
}

function requireRedirectUri(value: string | undefined): URL {
  if (value === undefined || value.trim() === "") {
    throw new UsageError(
      "--redirect-uri is required: a redirect URI registered at the target, such as https://portal.azure.com/TokenAuthorize (you paste the address the browser ends on) or http://127.0.0.1/callback (received by this command).",
    );
  }
  if (!URL.canParse(value)) throw new UsageError("--redirect-uri must be an absolute URL, exactly as registered at the target.");
  const url = new URL(value);
  if (url.hash !== "") throw new UsageError("--redirect-uri must not have a fragment (#…): use the URI exactly as registered at the target.");
  if (url.protocol !== "https:" && !isLoopbackHttp(url)) {
    throw new UsageError("--redirect-uri must be https, or http on 127.0.0.1, [::1] or localhost (RFC 8252): a target sends codes nowhere else.");
  }
  return url;
}

function parseTimeout(value: string | undefined): number {
  if (value === undefined) return defaultTimeoutInSeconds;
  if (!/^\d+$/.test(value) || Number(value) < 1 || Number(value) > 3600) {
    throw new UsageError("--timeout takes a whole number of seconds from 1 to 3600 (how long to wait for the browser's redirect).");
  }
  return Number(value);
}
