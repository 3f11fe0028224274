import { rawAnswer, rejectionOf, useGraphServer } from "@graph-sync/test-support";
import { describe, expect, it } from "vitest";
import { MAX_ERROR_BODY_BYTES, type ODataError } from "../src/index.js";
import { createTestClient } from "./support/createTestClient.js";

const server = await useGraphServer();
const client = createTestClient(`${server.url}/v1.0`);

const body = { credentials: [{ key: "Oauth2AuthorizationCode" as const, value: "code" }] };

function failingCall(): Promise<ODataError> {
  return rejectionOf<ODataError>(client.servicePrincipals.byServicePrincipalId("00000000-0000-0000-0000-000000000001").synchronization.acquireAccessToken.post(body));
}

const graphErrors = [
  { status: 400, code: "Request_BadRequest", message: "Invalid value specified for property 'credentials'." },
  { status: 401, code: "InvalidAuthenticationToken", message: "Access token validation failure. Invalid audience." },
  { status: 403, code: "Authorization_RequestDenied", message: "Insufficient privileges to complete the operation." },
  {
    status: 404,
    code: "Request_ResourceNotFound",
    message: "Resource '00000000-0000-0000-0000-000000000001' does not exist or one of its queried reference-property objects are not present.",
  },
  { status: 429, code: "TooManyRequests", message: "Too many requests." },
  { status: 500, code: "generalException", message: "General exception while processing." },
];

describe("Graph error responses", () => {
  it.each(graphErrors)("$status $code becomes the generated ODataError", async ({ status, code, message }) => {
    const requestId = "94fb3b52-452a-4535-a601-69e0a90e3aa2";
    const envelope = {
      error: { code, message, innerError: { date: "2026-11-23T10:00:00", "request-id": requestId, "client-request-id": "client-1" } },
    };
    server.answerWith(
      rawAnswer(status, JSON.stringify(envelope), "application/json", { "request-id": requestId, "client-request-id": "client-1" }),
    );

    const error = await failingCall();

    expect(error.responseStatusCode).toBe(status);
    expect(error.errorEscaped?.code).toBe(code);
    expect(error.message).toBe(message);
    expect(error.errorEscaped?.innerError?.requestId).toBe(requestId);
    expect(error.errorEscaped?.innerError?.clientRequestId).toBe("client-1");
    expect(error.errorEscaped?.innerError?.date?.toISOString()).toBe(new Date("2026-11-23T10:00:00").toISOString());
    expect(error.responseHeaders?.["request-id"]).toEqual([requestId]);
  });
});

describe("error responses whose body is not Graph's JSON still carry the status", () => {
  const unusableBodies: { name: string; status: number; headers: Record<string, string>; body: string; code: string }[] = [
    { name: "an empty body", status: 503, headers: {}, body: "", code: "emptyErrorBody" },
    {
      name: "an HTML page",
      status: 502,
      headers: { "content-type": "text/html; charset=utf-8" },
      body: "<html><body><h1>502 Bad Gateway</h1></body></html>",
      code: "nonJsonErrorBody",
    },
    { name: "invalid JSON", status: 500, headers: { "content-type": "application/json" }, body: '{"error": {', code: "malformedErrorBody" },
    { name: "JSON that is not an error envelope", status: 400, headers: { "content-type": "application/json" }, body: "[1,2]", code: "malformedErrorBody" },
    {
      name: "a body over the 1 MiB limit (read only up to it)",
      status: 500,
      headers: { "content-type": "application/json" },
      body: `{"error": {"code": "x", "message": "${"x".repeat(MAX_ERROR_BODY_BYTES)}"}}`,
      code: "oversizedErrorBody",
    },
  ];

  it.each(unusableBodies)("$name ($status)", async ({ status, headers, body: responseBody, code }) => {
    server.answerWith(rawAnswer(status, responseBody, undefined, { ...headers, "request-id": "req-42" }));

    const error = await failingCall();

    expect(error.responseStatusCode).toBe(status);
    expect(error.errorEscaped?.code).toBe(code);
    expect(error.message).toMatch(new RegExp(`^The service answered HTTP ${status}\\b`));
    expect(error.errorEscaped?.innerError?.requestId).toBe("req-42");
  });
});
