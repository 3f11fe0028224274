// Black-box scenarios for the emulated Graph action: the success answer and every error the issue
// lists, one scenario per case, asserting exact status, headers and body over a real socket.
import { randomUUID } from "node:crypto";
import { connect } from "node:net";
import { SignJWT, generateKeyPair } from "jose";
import { describe, expect, it } from "vitest";
import { actionUrl, callAction, credentialsFor, getAccessToken } from "./support/emulatorClients.js";
import { postJson, send } from "./support/httpClient.js";
import { expectGraphError, guidPattern } from "./support/responseShapes.js";
import { shareEmulator } from "./support/sharedEmulator.js";

const shared = shareEmulator({ maxRequestBodyInBytes: 64 * 1024 });

const spUrl = () => actionUrl(shared.emulator, "servicePrincipals", shared.emulator.servicePrincipalId);

describe("success", () => {
  it("answers 204 with request-id, client-request-id and Date, and no body", async () => {
    const code = await shared.emulator.getAuthorizationCode();
    const response = await callAction(spUrl(), shared.token, credentialsFor(code), { "client-request-id": "my-correlation-1" });
    expect(response.status).toBe(204);
    expect(response.body).toBe("");
    expect(response.headers["request-id"]).toMatch(guidPattern);
    expect(response.headers["client-request-id"]).toBe("my-correlation-1");
    expect(Number.isNaN(Date.parse(String(response.headers.date)))).toBe(false);
    expect(response.headers["deprecation"]).toBeUndefined();
    expect(response.headers["content-type"]).toBeUndefined();
  });

  it("serves the applications form too", async () => {
    const code = await shared.emulator.getAuthorizationCode(shared.emulator.applicationId);
    const response = await callAction(actionUrl(shared.emulator, "applications", shared.emulator.applicationId), shared.token, credentialsFor(code));
    expect(response.status).toBe(204);
    expect(response.headers["client-request-id"]).toBe(response.headers["request-id"]);
  });

  // The dates and the link are those of the beta fragment's x-ms-deprecation (openapi/*.beta.yaml).
  it("marks beta answers with Graph's Deprecation, Sunset and deprecation Link headers", async () => {
    const code = await shared.emulator.getAuthorizationCode();
    const response = await callAction(actionUrl(shared.emulator, "servicePrincipals", shared.emulator.servicePrincipalId, "beta"), shared.token, credentialsFor(code));
    expect(response.status).toBe(204);
    expect(response.headers["deprecation"]).toBe("Fri, 06 Feb 2026 00:00:00 GMT");
    expect(response.headers["sunset"]).toBe("Tue, 06 Jul 2027 00:00:00 GMT");
    expect(response.headers["link"]).toBe(
      '<https://learn.microsoft.com/graph/api/synchronization-synchronization-acquireaccesstoken?view=graph-rest-beta>; rel="deprecation"; type="text/html"',
    );
  });

  it("marks beta errors with the deprecation headers as well", async () => {
    const response = await callAction(actionUrl(shared.emulator, "servicePrincipals", shared.emulator.servicePrincipalId, "beta"), shared.token, {});
    expectGraphError(response, {
      status: 400,
      code: "Request_BadRequest",
      message: "The request body has no 'credentials': send a non-empty array of {key, value} pairs, at least Oauth2AuthorizationCode.",
      headers: { Deprecation: "Fri, 06 Feb 2026 00:00:00 GMT", Sunset: "Tue, 06 Jul 2027 00:00:00 GMT" },
    });
  });
});

describe("401 InvalidAuthenticationToken", () => {
  const challenge = () =>
    `Bearer realm="", authorization_uri="${shared.emulator.loginUrl}/common/oauth2/authorize", client_id="00000003-0000-0000-c000-000000000000"`;
  const expect401 = (response: Awaited<ReturnType<typeof send>>, message: string) =>
    expectGraphError(response, { status: 401, code: "InvalidAuthenticationToken", message, headers: { "WWW-Authenticate": challenge() } });

  it("refuses a request without a token", async () => {
    expect401(await postJson(spUrl(), credentialsFor("x")), "Access token is empty.");
  });

  it("refuses a token that is not a JWT", async () => {
    expect401(await callAction(spUrl(), "not-a-jwt", credentialsFor("x")), "CompactToken parsing failed with error code: 80049217");
  });

  it("refuses a token signed by another key", async () => {
    const { privateKey } = await generateKeyPair("RS256");
    const forged = await new SignJWT({ tid: shared.emulator.tenantId, appid: shared.emulator.clientId, idtyp: "app", oid: randomUUID(), roles: ["Synchronization.ReadWrite.All"] })
      .setProtectedHeader({ alg: "RS256" })
      .setAudience("https://graph.microsoft.com")
      .setIssuer(`https://sts.windows.net/${shared.emulator.tenantId}/`)
      .setIssuedAt()
      .setExpirationTime("1h")
      .sign(privateKey);
    expect401(await callAction(spUrl(), forged, credentialsFor("x")), "Access token validation failure. Invalid signature.");
  });

  it("refuses an expired token", async () => {
    shared.now += 2 * 60 * 60 * 1000;
    expect401(await callAction(spUrl(), shared.token, credentialsFor("x")), "Lifetime validation failed, the token is expired.");
  });

  it("refuses a token for another audience", async () => {
    const response = await send(`${shared.emulator.loginUrl}/${shared.emulator.tenantId}/oauth2/v2.0/token`, {
      method: "POST",
      ca: shared.emulator.caCertPem,
      headers: { "Content-Type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ grant_type: "client_credentials", client_id: shared.emulator.clientId, client_secret: shared.emulator.clientSecret, scope: "https://graph.microsoft.us/.default" }).toString(),
    });
    expect(response.status).toBe(200);
    // A US Government token is a Graph audience the emulator accepts; tamper with nothing else.
    const usToken = (JSON.parse(response.body) as { access_token: string }).access_token;
    const code = await shared.emulator.getAuthorizationCode();
    expect((await callAction(spUrl(), usToken, credentialsFor(code))).status).toBe(204);
  });

  it("refuses a token from a tenant the emulator does not know", async () => {
    const tenantId = (await shared.emulator.admin.seed({ tenants: [{}] })).tenants[0]!.id;
    const seeded = await shared.emulator.admin.seed({ clientApplications: [{ tenantId, roles: ["Synchronization.ReadWrite.All"] }] });
    const app = seeded.clientApplications[0]!;
    const foreignToken = await getAccessToken(shared.emulator, { tenantId, clientId: app.appId, clientSecret: app.secrets[0]!.value });
    await shared.emulator.admin.reset();
    expect401(await callAction(spUrl(), foreignToken, credentialsFor("x")), "Access token validation failure. Invalid issuer.");
  });
});

// Permission refusals (401 UnknownError by default, 403 Authorization_RequestDenied on request) and
// the whole permission matrix are in access.test.ts.

describe("404 Request_ResourceNotFound", () => {
  it("answers for an unknown service principal", async () => {
    const id = randomUUID();
    expectGraphError(await callAction(actionUrl(shared.emulator, "servicePrincipals", id), shared.token, credentialsFor("x")), {
      status: 404,
      code: "Request_ResourceNotFound",
      message: `Resource '${id}' does not exist or one of its queried reference-property objects are not present.`,
    });
  });

  it("answers for an application id used on the servicePrincipals path", async () => {
    expectGraphError(await callAction(actionUrl(shared.emulator, "servicePrincipals", shared.emulator.applicationId), shared.token, credentialsFor("x")), {
      status: 404,
      code: "Request_ResourceNotFound",
      message: `Resource '${shared.emulator.applicationId}' does not exist or one of its queried reference-property objects are not present.`,
    });
  });
});

describe("400 for requests Graph cannot read", () => {
  it("names malformed JSON without echoing the body", async () => {
    const response = await callAction(spUrl(), shared.token, '{"credentials": [{"key": "Oauth2AuthorizationCode", "value": "secret-code"');
    expectGraphError(response, {
      status: 400,
      code: "BadRequest",
      message:
        "Unable to read JSON request payload: the body is not valid JSON (error at character 74). Please ensure Content-Type header is set and payload is of valid JSON format.",
    });
    expect(response.body).not.toContain("secret-code");
  });

  it("names an empty body", async () => {
    expectGraphError(await callAction(spUrl(), shared.token, ""), {
      status: 400,
      code: "BadRequest",
      message: "Unable to read JSON request payload: the body is empty.",
    });
  });

  it("names a wrong content type", async () => {
    const response = await send(spUrl(), {
      method: "POST",
      headers: { Authorization: `Bearer ${shared.token}`, "Content-Type": "text/plain" },
      body: JSON.stringify(credentialsFor("x")),
    });
    expectGraphError(response, {
      status: 400,
      code: "BadRequest",
      message: "The Content-Type 'text/plain' is not supported: send the body as application/json.",
    });
  });

  it("names a missing content type", async () => {
    const response = await send(spUrl(), { method: "POST", headers: { Authorization: `Bearer ${shared.token}` }, body: JSON.stringify(credentialsFor("x")) });
    expectGraphError(response, { status: 400, code: "BadRequest", message: "The Content-Type header is missing: send the body as application/json." });
  });

  it("accepts JSON with parameters in the content type", async () => {
    const code = await shared.emulator.getAuthorizationCode();
    const response = await callAction(spUrl(), shared.token, credentialsFor(code), { "Content-Type": "application/json; charset=utf-8" });
    expect(response.status).toBe(204);
  });
});

describe("400 for invalid credentials", () => {
  const expect400 = async (body: unknown, message: string) =>
    expectGraphError(await callAction(spUrl(), shared.token, body), { status: 400, code: "Request_BadRequest", message });

  it("names an unknown secret key and the closest valid one", () =>
    expect400(
      { credentials: [{ key: "Oauth2AuthorisationCode", value: "x" }] },
      "Requested value 'Oauth2AuthorisationCode' at credentials[0].key was not found in microsoft.graph.synchronizationSecret; did you mean 'Oauth2AuthorizationCode'?",
    ));

  it("suggests the right casing for a key with the wrong one", () =>
    expect400(
      { credentials: [{ key: "oauth2redirecturi", value: "x" }] },
      "Requested value 'oauth2redirecturi' at credentials[0].key was not found in microsoft.graph.synchronizationSecret; did you mean 'Oauth2RedirectUri'?",
    ));

  it("names missing credentials", () =>
    expect400({}, "The request body has no 'credentials': send a non-empty array of {key, value} pairs, at least Oauth2AuthorizationCode."));

  it("names null credentials like missing ones", () =>
    expect400({ credentials: null }, "The request body has no 'credentials': send a non-empty array of {key, value} pairs, at least Oauth2AuthorizationCode."));

  it("names empty credentials", () =>
    expect400({ credentials: [] }, "'credentials' is empty: send at least the key Oauth2AuthorizationCode with the authorization code."));

  it("names credentials that are not an array", () => expect400({ credentials: "code" }, "credentials must be an array."));

  it("names a value that is not a string", () =>
    expect400({ credentials: [{ key: "Oauth2AuthorizationCode", value: 42 }] }, "credentials[0].value must be a string or null."));

  it("names a property Graph's type does not define", () =>
    expect400(
      { credentials: [{ key: "Oauth2AuthorizationCode", value: "x", secret: true }] },
      "The property 'secret' does not exist on type 'microsoft.graph.synchronizationSecretKeyStringValuePair' (at credentials[0]). Make sure to only use property names that are defined by the type.",
    ));

  it("names a body that is not an object", () => expect400([1, 2], "The request body must be a JSON object with a 'credentials' array."));

  it("names a pair without a key", () => expect400({ credentials: [{ value: "x" }] }, "credentials[0] has no 'key'."));

  it("names a key given twice", () =>
    expect400(
      { credentials: [{ key: "Oauth2ClientId", value: "a" }, { key: "Oauth2ClientId", value: "b" }] },
      "The key 'Oauth2ClientId' appears more than once in 'credentials'.",
    ));

  it("names a missing authorization code", () =>
    expect400(
      { credentials: [{ key: "Oauth2ClientId", value: "a" }] },
      "'credentials' must include the key Oauth2AuthorizationCode with the authorization code issued by the target.",
    ));

  it("names an empty authorization code", () =>
    expect400({ credentials: [{ key: "Oauth2AuthorizationCode", value: "" }] }, "The value of Oauth2AuthorizationCode is empty."));

  it("allows OData annotations", async () => {
    const code = await shared.emulator.getAuthorizationCode();
    const body = { "@odata.type": "#microsoft.graph.x", credentials: [{ key: "Oauth2AuthorizationCode", value: code }] };
    expect((await callAction(spUrl(), shared.token, body)).status).toBe(204);
  });

  // The fragment (as Graph's description) lists '@odata.type' as required on the key/value type:
  // accepted when a client sends it, not demanded when it does not (the SDK never sends it).
  it("accepts '@odata.type' on a credential without requiring it", async () => {
    const withType = {
      credentials: [
        { "@odata.type": "#microsoft.graph.synchronizationSecretKeyStringValuePair", key: "Oauth2AuthorizationCode", value: await shared.emulator.getAuthorizationCode() },
      ],
    };
    expect((await callAction(spUrl(), shared.token, withType)).status).toBe(204);
    const withoutType = { credentials: [{ key: "Oauth2AuthorizationCode", value: await shared.emulator.getAuthorizationCode() }] };
    expect((await callAction(spUrl(), shared.token, withoutType)).status).toBe(204);
  });
});

describe("protocol errors", () => {
  it("answers 405 with Allow for a GET", async () => {
    const response = await send(spUrl(), { headers: { Authorization: `Bearer ${shared.token}` } });
    expectGraphError(response, {
      status: 405,
      code: "Request_BadRequest",
      message: "The HTTP method 'GET' is not allowed on acquireAccessToken; use POST.",
      headers: { Allow: "POST" },
    });
  });

  it("answers 413 for an oversized body", async () => {
    const big = JSON.stringify({ credentials: [{ key: "Oauth2AuthorizationCode", value: "x".repeat(70 * 1024) }] });
    expectGraphError(await callAction(spUrl(), shared.token, big), {
      status: 413,
      code: "RequestEntityTooLarge",
      message: "The request body exceeds the maximum size of 65536 bytes.",
    });
  });

  it("answers 400 for an unknown version", async () => {
    expectGraphError(await callAction(spUrl().replace("/v1.0/", "/v2.0/"), shared.token, credentialsFor("x")), {
      status: 400,
      code: "BadRequest",
      message: `Invalid version in '/v2.0/servicePrincipals/${shared.emulator.servicePrincipalId}/synchronization/acquireAccessToken': use /v1.0 or /beta.`,
    });
  });

  it("answers 400 for a resource it does not serve", async () => {
    expectGraphError(await send(`${shared.emulator.graphUrl}/v1.0/users`, { headers: { "client-request-id": "abc" } }), {
      status: 400,
      code: "BadRequest",
      message:
        "Resource not found for the segment in '/v1.0/users': the emulator serves only POST {applications|servicePrincipals}/{id}/synchronization/acquireAccessToken.",
      clientRequestId: "abc",
    });
  });

  it("answers a request that is not even HTTP in Graph's envelope", async () => {
    const port = Number(new URL(shared.emulator.graphUrl).port);
    const raw = await new Promise<string>((resolve, reject) => {
      const socket = connect(port, "127.0.0.1", () => socket.end("HELLO GRAPH\r\n\r\n"));
      let received = "";
      socket.on("data", (chunk: Buffer) => (received += chunk.toString()));
      socket.on("end", () => resolve(received));
      socket.on("error", reject);
    });
    const [head = "", body = ""] = raw.split("\r\n\r\n");
    const headers = Object.fromEntries(
      head
        .split("\r\n")
        .slice(1)
        .map((line) => [line.slice(0, line.indexOf(":")).toLowerCase(), line.slice(line.indexOf(":") + 1).trim()]),
    );
    expect(head.split("\r\n")[0]).toBe("HTTP/1.1 400 Bad Request");
    expectGraphError(
      { status: 400, headers, body },
      { status: 400, code: "BadRequest", message: "The request is not valid HTTP/1.1 and could not be read." },
    );
  });
});
