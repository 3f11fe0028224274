/**
 * The most of the target's answer that is read. A token answer is a few kilobytes (an access and a
 * refresh token, a JWT each at most); without a bound a target could make the emulator hold an
 * answer of any size in memory.
 */
export const maxTokenAnswerInBytes = 64 * 1024;

/** What came of redeeming an authorization code at a target's token endpoint. */
export type CodeExchangeOutcome =
  | { exchanged: true; accessToken: string; refreshToken?: string }
  | { exchanged: false; failure: "unreachable"; detail: string }
  | { exchanged: false; failure: "rejected"; status: number; error: string; description?: string }
  | { exchanged: false; failure: "unusable"; status: number; detail: string };

export interface CodeExchangeRequest {
  tokenUrl: URL;
  code: string;
  redirectUri: string;
  clientId: string;
  clientSecret: string;
  timeoutInMs: number;
}

/**
 * Redeems an authorization code (RFC 6749 §4.1.3) the way the provisioning service does: a form
 * POST with the client credentials in the body. Never throws; every way it can go wrong is an
 * outcome the caller turns into a message.
 */
export async function exchangeAuthorizationCode(request: CodeExchangeRequest): Promise<CodeExchangeOutcome> {
  let response: Response;
  let text: string;
  try {
    response = await fetch(request.tokenUrl, {
      method: "POST",
      headers: { "Content-Type": "application/x-www-form-urlencoded", Accept: "application/json" },
      body: new URLSearchParams({
        grant_type: "authorization_code",
        code: request.code,
        redirect_uri: request.redirectUri,
        client_id: request.clientId,
        client_secret: request.clientSecret,
      }),
      redirect: "manual",
      signal: AbortSignal.timeout(request.timeoutInMs),
    });
    const bounded = await readTextWithin(response, maxTokenAnswerInBytes);
    if (bounded === undefined) {
      return {
        exchanged: false,
        failure: "unusable",
        status: response.status,
        detail: `the answer is larger than ${maxTokenAnswerInBytes / 1024} KiB, more than any token answer`,
      };
    }
    text = bounded;
  } catch (error) {
    return { exchanged: false, failure: "unreachable", detail: describeNetworkError(error, request.timeoutInMs) };
  }
  let body: Record<string, unknown> | undefined;
  try {
    const parsed: unknown = JSON.parse(text);
    if (typeof parsed === "object" && parsed !== null && !Array.isArray(parsed)) body = parsed as Record<string, unknown>;
  } catch {
    body = undefined;
  }
  if (response.status === 200 && typeof body?.["access_token"] === "string" && body["access_token"] !== "") {
    const refreshToken = body["refresh_token"];
    return typeof refreshToken === "string" && refreshToken !== ""
      ? { exchanged: true, accessToken: body["access_token"], refreshToken }
      : { exchanged: true, accessToken: body["access_token"] };
  }
  if (typeof body?.["error"] === "string") {
    const description = body["error_description"];
    return typeof description === "string"
      ? { exchanged: false, failure: "rejected", status: response.status, error: body["error"], description }
      : { exchanged: false, failure: "rejected", status: response.status, error: body["error"] };
  }
  return {
    exchanged: false,
    failure: "unusable",
    status: response.status,
    detail: response.status === 200 ? "the answer has no access_token" : "the answer is not an OAuth error response",
  };
}

/**
 * The answer's body as text, or `undefined` as soon as it (or its declared length) passes
 * `limitInBytes`; the rest is not read, and the connection is given up.
 */
async function readTextWithin(response: Response, limitInBytes: number): Promise<string | undefined> {
  const declared = Number(response.headers.get("content-length"));
  if (Number.isFinite(declared) && declared > limitInBytes) {
    await response.body?.cancel();
    return undefined;
  }
  if (!response.body) return "";
  const chunks: Uint8Array[] = [];
  let received = 0;
  const reader = response.body.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    received += value.byteLength;
    if (received > limitInBytes) {
      await reader.cancel();
      return undefined;
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks).toString("utf8");
}

function describeNetworkError(error: unknown, timeoutInMs: number): string {
  if (error instanceof Error && (error.name === "TimeoutError" || error.name === "AbortError")) {
    return `no answer within ${timeoutInMs / 1000} s`;
  }
  const cause = error instanceof Error ? (error.cause as { code?: unknown; message?: unknown } | undefined) : undefined;
  if (typeof cause?.code === "string") return cause.code;
  if (typeof cause?.message === "string") return cause.message;
  return error instanceof Error ? error.message : String(error);
}
