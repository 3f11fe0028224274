// The two pure pieces of the Authorize step: the authorization request and reading the redirect.
import { describe, expect, it } from "vitest";
import {
  AuthorizationFlowError,
  createAuthorizationRequest,
  isAuthorizationFlowError,
  readAuthorizationResponse,
  type AuthorizationFlowFailure,
} from "../src/authorization/index.js";

const options = {
  authorizationUrl: "https://app.example.test/oauth/authorize?tenant=contoso",
  clientId: "client-1",
  redirectUri: "https://portal.azure.com/TokenAuthorize",
};

function failure(run: () => unknown): AuthorizationFlowError {
  try {
    run();
  } catch (error) {
    expect(isAuthorizationFlowError(error)).toBe(true);
    return error as AuthorizationFlowError;
  }
  throw new Error("expected an AuthorizationFlowError");
}

describe("createAuthorizationRequest", () => {
  it("builds the RFC 6749 §4.1.1 request with a fresh 256-bit state, keeping the endpoint's own parameters", () => {
    const request = createAuthorizationRequest({ ...options, scope: " read write " });
    const url = new URL(request.url);
    expect(`${url.origin}${url.pathname}`).toBe("https://app.example.test/oauth/authorize");
    expect(Object.fromEntries(url.searchParams)).toEqual({
      tenant: "contoso",
      response_type: "code",
      client_id: "client-1",
      redirect_uri: "https://portal.azure.com/TokenAuthorize",
      scope: "read write",
      state: request.state,
    });
    expect(request.state).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(request.redirectUri).toBe(options.redirectUri);
    expect(createAuthorizationRequest(options).state).not.toBe(request.state);
    expect(new URL(createAuthorizationRequest(options).url).searchParams.has("scope")).toBe(false);
  });

  it("accepts http only on loopback", () => {
    expect(() => createAuthorizationRequest({ ...options, authorizationUrl: "http://127.0.0.1:8483/authorize" })).not.toThrow();
    expect(() => createAuthorizationRequest({ ...options, authorizationUrl: "http://localhost/authorize" })).not.toThrow();
    expect(failure(() => createAuthorizationRequest({ ...options, authorizationUrl: "http://app.example.test/authorize" })).message).toMatch(
      /authorizationUrl must be https/,
    );
  });

  it("names the option to fix", () => {
    const cases: Array<[Partial<typeof options>, RegExp]> = [
      [{ authorizationUrl: "" }, /^authorizationUrl is required/],
      [{ authorizationUrl: "/authorize" }, /^authorizationUrl must be an absolute URL/],
      [{ clientId: " " }, /^clientId is required/],
      [{ redirectUri: "TokenAuthorize" }, /^redirectUri must be an absolute URL/],
      [{ redirectUri: "https://portal.azure.com/TokenAuthorize#x" }, /^redirectUri must not have a fragment/],
    ];
    for (const [change, message] of cases) {
      const error = failure(() => createAuthorizationRequest({ ...options, ...change }));
      expect(error.reason).toBe("invalid-option");
      expect(error.message).toMatch(message);
    }
  });
});

describe("readAuthorizationResponse", () => {
  const state = "expected-state";
  const redirect = (query: string) => `https://portal.azure.com/TokenAuthorize?${query}`;

  it("returns the code when the state matches, from a pasted address with whitespace or quotes", () => {
    expect(readAuthorizationResponse(redirect(`code=c-1&state=${state}`), { state, redirectUri: options.redirectUri })).toEqual({ code: "c-1" });
    expect(readAuthorizationResponse(`  "${redirect(`state=${state}&code=c-2`)}"\n`, { state })).toEqual({ code: "c-2" });
    expect(readAuthorizationResponse(new URL(`http://127.0.0.1:5123/callback?code=c-3&state=${state}`), { state, redirectUri: "http://127.0.0.1/callback" })).toEqual({ code: "c-3" });
  });

  it("reports each RFC 6749 §4.1.2.1 error by name with what to do, and keeps the description", () => {
    const denied = failure(() =>
      readAuthorizationResponse(redirect(`error=access_denied&error_description=${encodeURIComponent("The user said no.\r\nTrace")}&state=${state}`), { state }),
    );
    expect(denied.reason).toBe("error-response");
    expect(denied.error).toBe("access_denied");
    expect(denied.errorDescription).toBe("The user said no. Trace");
    expect(denied.message).toBe('The target answered access_denied ("The user said no. Trace"). The person (or the target\'s policy) declined. Start again and choose Allow, or ask the target\'s administrator to grant access.');
    for (const code of ["invalid_request", "unauthorized_client", "unsupported_response_type", "invalid_scope", "server_error", "temporarily_unavailable"]) {
      const error = failure(() => readAuthorizationResponse(redirect(`error=${code}&state=${state}`), { state }));
      expect(error.error).toBe(code);
      expect(error.message).toMatch(new RegExp(`^The target answered ${code}\\. \\S`));
    }
    expect(failure(() => readAuthorizationResponse(redirect(`error=custom_thing&state=${state}`), { state })).message).toContain("See the target's documentation");
  });

  it("checks the state before trusting a code or an error, and never shows the code", () => {
    const cases: Array<[string, AuthorizationFlowFailure, RegExp]> = [
      [redirect("code=secret-code-1&state=other"), "state-mismatch", /belongs to another sign-in or was altered/],
      [redirect("code=secret-code-1"), "state-mismatch", /has no state/],
      [redirect("error=access_denied&state=other"), "state-mismatch", /another sign-in/],
      [redirect(`state=${state}`), "missing-code", /no authorization code/],
      ["secret-code-1", "not-a-url", /not a whole web address/],
      [`https://elsewhere.example.test/TokenAuthorize?code=secret-code-1&state=${state}`, "wrong-redirect-uri", /not at the redirect URI of this request \(https:\/\/portal\.azure\.com\/TokenAuthorize\)/],
    ];
    for (const [address, reason, message] of cases) {
      const error = failure(() => readAuthorizationResponse(address, { state, redirectUri: options.redirectUri }));
      expect(error.reason).toBe(reason);
      expect(error.message).toMatch(message);
      expect(JSON.stringify({ ...error, message: error.message, stack: error.stack })).not.toContain("secret-code-1");
    }
  });

  it("shortens and cleans a hostile error_description", () => {
    const long = "x".repeat(1000) + "\u0007";
    const error = failure(() => readAuthorizationResponse(redirect(`error=server_error&error_description=${long}&state=${state}`), { state }));
    expect(error.errorDescription).toHaveLength(301);
    expect(error.message.length).toBeLessThan(500);
  });
});
