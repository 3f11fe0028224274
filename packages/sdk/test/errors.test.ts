// Every kind of error answer from Graph becomes one GraphSyncError with the status, Graph's code and
// ids, and a message that says what to do, including answers Kiota cannot parse.
import { describe, expect, test } from "vitest";
import { createSyncClient, GraphSyncError, type SyncTarget } from "@graph-sync/sdk";
import { captureError } from "./support/capture.js";
import { APP_ID, AUTH_CODE, SP_ID, staticCredential } from "./support/credentials.js";
import { graphError, rawAnswer, useGraphServer, type Handler } from "@graph-sync/test-support";

const server = await useGraphServer();

/** One call (retries off) answered by `handler`. */
async function failWith(handler: Handler, target: SyncTarget = { servicePrincipalId: SP_ID }): Promise<GraphSyncError> {
  server.enqueue(handler);
  const client = createSyncClient({ credential: staticCredential(), baseUrl: server.url, retry: { maxRetries: 0 } });
  return captureError(client.acquireAccessToken(target, { Oauth2AuthorizationCode: AUTH_CODE }, { clientRequestId: "crid-1" }));
}

describe("Graph error JSON", () => {
  test("400: kind bad-request, Graph's code and message, ids and date, advice about the code", async () => {
    const error = await failWith(graphError(400, "Request_BadRequest", "The authorization code was already redeemed."));
    expect(error).toBeInstanceOf(GraphSyncError);
    expect(error).toBeInstanceOf(Error);
    expect(error).toMatchObject({
      name: "GraphSyncError",
      kind: "bad-request",
      status: 400,
      code: "Request_BadRequest",
      requestId: "req-400",
      clientRequestId: "crid-1",
      attempts: 1,
      mayHaveBeenProcessed: false,
    });
    expect(error.date?.toISOString()).toBe("2026-11-23T10:00:00.000Z");
    expect(error.message).toContain("400 Request_BadRequest: The authorization code was already redeemed.");
    expect(error.message).toMatch(/can be redeemed only once.*get a fresh one/);
    expect(error.stack).toContain("GraphSyncError: Graph rejected the request");
    expect(error.cause).toBeInstanceOf(Error);
  });

  test("401: kind authentication, about the token's audience and scope, with the challenge", async () => {
    const error = await failWith(
      graphError(401, "InvalidAuthenticationToken", "Access token validation failure. Invalid audience.", {
        "www-authenticate": 'Bearer realm="", error="invalid_token", error_description="The audience is invalid"',
      }),
    );
    expect(error).toMatchObject({ kind: "authentication", status: 401, code: "InvalidAuthenticationToken" });
    expect(error.message).toContain("[The audience is invalid]");
    expect(error.message).toContain("scope https://graph.microsoft.com/.default (audience https://graph.microsoft.com");
  });

  test("403: kind permission, names the permissions that allow the call", async () => {
    const error = await failWith(graphError(403, "Authorization_RequestDenied", "Insufficient privileges to complete the operation."));
    expect(error).toMatchObject({ kind: "permission", status: 403, code: "Authorization_RequestDenied" });
    expect(error.message).toContain("Application.ReadWrite.OwnedBy");
    expect(error.message).toContain("an owner of the service principal itself");
    expect(error.message).toContain("Synchronization.ReadWrite.All");
    expect(error.message).toContain("Insufficient privileges to complete the operation.");
  });

  test("401 UnknownError (the synchronization service's refusal): kind permission, naming both possible causes", async () => {
    const error = await failWith(graphError(401, "UnknownError", ""));
    expect(error).toMatchObject({ kind: "permission", status: 401, code: "UnknownError" });
    expect(error.message).toContain("(401 UnknownError)");
    expect(error.message).toContain("most often the caller's permission, role or ownership does not allow the call");
    expect(error.message).toContain("less often the token itself was not accepted");
    expect(error.message).toContain("Hybrid Identity Administrator");
  });

  test("404 for a service principal id: says which id, and that it must be the service principal's object id", async () => {
    const error = await failWith(
      graphError(404, "Request_ResourceNotFound", `Resource '${SP_ID}' does not exist or one of its queried reference-property objects are not present.`),
    );
    expect(error).toMatchObject({ kind: "not-found", status: 404, code: "Request_ResourceNotFound" });
    expect(error.message).toMatch(new RegExp(`^No service principal with the id ${SP_ID} was found`));
    expect(error.message).toContain("Enterprise applications → Object ID");
  });

  test("404 for an application id: says it was an application id, not the client id", async () => {
    const error = await failWith(graphError(404, "Request_ResourceNotFound", "Resource does not exist."), { applicationId: APP_ID });
    expect(error.message).toMatch(new RegExp(`^No application with the id ${APP_ID} was found`));
    expect(error.message).toContain("not its Application (client) ID");
  });

  test("429 (retries off): kind throttled, Retry-After kept, advice about the limit", async () => {
    const error = await failWith(graphError(429, "TooManyRequests", "Too many requests.", { "retry-after": "7" }));
    expect(error).toMatchObject({ kind: "throttled", status: 429, retryAfterInMs: 7000, attempts: 1 });
    expect(error.message).toMatch(/throttling requests .*asked to wait 7 s.*per app and tenant/);
  });

  test.each([500, 502, 503, 504])("%i: kind service, with the request-id for support", async (status) => {
    const error = await failWith(graphError(status, "serviceNotAvailable", "Try later."));
    expect(error).toMatchObject({ kind: "service", status, code: "serviceNotAvailable" });
    expect(error.message).toContain(`request-id req-${status}`);
  });

  test.each([405, 409, 412, 415])("%i: kind bad-request with Graph's code", async (status) => {
    const error = await failWith(graphError(status, "invalidRequest", "Nope."));
    expect(error).toMatchObject({ kind: "bad-request", status, code: "invalidRequest" });
  });
});

describe("answers Kiota cannot parse keep their status (the client's ErrorBodyHandler, then the SDK)", () => {
  test("503 with an empty body and no content type", async () => {
    const error = await failWith(rawAnswer(503, "", undefined, { "request-id": "req-empty", "retry-after": "1.5" }));
    expect(error).toMatchObject({ kind: "service", status: 503, code: "emptyErrorBody", requestId: "req-empty", retryAfterInMs: 1500 });
    expect(error.message).toContain("503 emptyErrorBody: The service answered HTTP 503 Service Unavailable with an empty body.");
  });

  test("502 with an HTML page from a proxy", async () => {
    const error = await failWith(rawAnswer(502, "<!DOCTYPE html><html><body>Bad gateway</body></html>", "text/html"));
    expect(error).toMatchObject({ kind: "service", status: 502, code: "nonJsonErrorBody" });
    expect(error.message).toContain("with a text/html body instead of JSON");
    expect(error.message).toContain("(an HTML page: a proxy, gateway or firewall may have answered instead of Graph)");
  });

  test("500 with broken JSON", async () => {
    const error = await failWith(rawAnswer(500, '{"error": {"code": ', "application/json"));
    expect(error).toMatchObject({ kind: "service", status: 500, code: "malformedErrorBody" });
    expect(error.message).toContain("with a body that is not valid JSON");
  });

  test("400 with JSON that is not Graph's envelope", async () => {
    const error = await failWith(rawAnswer(400, '{"detail":"bad"}', "application/json"));
    expect(error).toMatchObject({ kind: "bad-request", status: 400, code: "malformedErrorBody" });
    expect(error.message).toContain("with JSON that is not Graph's error format");
  });

  test("403 with a plain-text body", async () => {
    const error = await failWith(rawAnswer(403, "Forbidden by policy", "text/plain"));
    expect(error).toMatchObject({ kind: "permission", status: 403, code: "nonJsonErrorBody" });
    expect(error.message).toContain("with a text/plain body instead of JSON");
    expect(error.message).toContain("Synchronization.ReadWrite.All");
  });

  test("a 3xx without Location is not mistaken for success", async () => {
    const error = await failWith(rawAnswer(304, ""));
    expect(error).toMatchObject({ kind: "unexpected", status: 304 });
  });

  test("a redirect is not followed (it would resend the secrets)", async () => {
    const error = await failWith(rawAnswer(307, "", undefined, { location: "https://elsewhere.example/steal" }));
    expect(error).toMatchObject({ kind: "unexpected", status: 307 });
    expect(error.message).toContain("redirecting to elsewhere.example");
    expect(server.requests.at(-1)?.url).toContain("/acquireAccessToken");
  });
});

test("toJSON has the safe fields only, and JSON.stringify uses it", async () => {
  const error = await failWith(graphError(403, "Authorization_RequestDenied", "Insufficient privileges."));
  const json = JSON.parse(JSON.stringify(error)) as Record<string, unknown>;
  expect(json).toMatchObject({
    name: "GraphSyncError",
    kind: "permission",
    status: 403,
    code: "Authorization_RequestDenied",
    requestId: "req-403",
    clientRequestId: "crid-1",
    date: "2026-11-23T10:00:00.000Z",
    attempts: 1,
    mayHaveBeenProcessed: false,
    cause: { name: "ODataError", message: "Insufficient privileges.", code: "Authorization_RequestDenied" },
  });
  expect(Object.keys(json).sort()).toEqual(
    ["attempts", "cause", "clientRequestId", "code", "date", "kind", "mayHaveBeenProcessed", "message", "name", "requestId", "status"].sort(),
  );
});
