import { Ajv } from "ajv";
import { expect } from "vitest";
import { loadOpenApiFragment } from "../../src/graph/openApiFragment.js";
import type { RawResponse } from "./httpClient.js";

export const guidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const graphDatePattern = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}$/;
const entraTimestampPattern = /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}Z$/;

/**
 * Graph's error schema, straight from the OpenAPI fragment, except that `@odata.type` is not
 * required: the converter lists it as required on every type, and Graph's error bodies omit it.
 */
const withoutRequiredODataType = JSON.parse(JSON.stringify((await loadOpenApiFragment()).document), (key, value: unknown) =>
  key === "required" && Array.isArray(value) ? value.filter((name) => !String(name).startsWith("@odata.")) : value,
) as Record<string, unknown>;
const validateODataError = new Ajv({ strict: false, validateFormats: false })
  .addSchema(withoutRequiredODataType, "openapi")
  .compile({ $ref: "openapi#/components/schemas/microsoft.graph.ODataErrors.ODataError" });

export interface ExpectedGraphError {
  status: number;
  code: string;
  message: string;
  /** The client-request-id the test sent; default: none sent, so it equals request-id. */
  clientRequestId?: string;
  /** Further headers that must be present with exactly these values. */
  headers?: Record<string, string>;
}

/** Asserts an exact Graph error: status, correlation headers, envelope, code and message. */
export function expectGraphError(response: RawResponse, expected: ExpectedGraphError): void {
  expect({ status: response.status, body: response.body }).toMatchObject({ status: expected.status });
  expect(response.headers["content-type"]).toBe("application/json");
  const requestId = response.headers["request-id"];
  expect(requestId).toMatch(guidPattern);
  const clientRequestId = expected.clientRequestId ?? requestId;
  expect(response.headers["client-request-id"]).toBe(clientRequestId);
  expect(Number.isNaN(Date.parse(String(response.headers.date)))).toBe(false);
  for (const [name, value] of Object.entries(expected.headers ?? {})) {
    expect(response.headers[name.toLowerCase()], name).toBe(value);
  }
  const body = JSON.parse(response.body) as unknown;
  expect(validateODataError(body)).toBe(true);
  expect(body).toEqual({
    error: {
      code: expected.code,
      message: expected.message,
      innerError: { date: expect.stringMatching(graphDatePattern), "request-id": requestId, "client-request-id": clientRequestId },
    },
  });
}

export interface ExpectedEntraError {
  status: number;
  error: string;
  /** The AADSTS code, or undefined for the emulator's own (non-Entra) errors. */
  aadsts: number | undefined;
  /** The description between `AADSTSnnnn: ` and the trace lines. */
  description: string;
  correlationId?: string;
}

/** Asserts an exact Entra error answer. */
export function expectEntraError(response: RawResponse, expected: ExpectedEntraError): void {
  expect({ status: response.status, body: response.body }).toMatchObject({ status: expected.status });
  expect(response.headers["content-type"]).toBe("application/json; charset=utf-8");
  expect(response.headers["cache-control"]).toBe("no-store, no-cache");
  const body = JSON.parse(response.body) as Record<string, unknown>;
  const traceId = body["trace_id"] as string;
  expect(traceId).toMatch(guidPattern);
  expect(response.headers["x-ms-request-id"]).toBe(traceId);
  const correlationId = body["correlation_id"] as string;
  if (expected.correlationId) expect(correlationId).toBe(expected.correlationId);
  else expect(correlationId).toMatch(guidPattern);
  const timestamp = body["timestamp"] as string;
  expect(timestamp).toMatch(entraTimestampPattern);
  const prefix = expected.aadsts === undefined ? "" : `AADSTS${expected.aadsts}: `;
  const expectedBody: Record<string, unknown> = {
    error: expected.error,
    error_description: `${prefix}${expected.description}\r\nTrace ID: ${traceId}\r\nCorrelation ID: ${correlationId}\r\nTimestamp: ${timestamp}`,
    error_codes: expected.aadsts === undefined ? [] : [expected.aadsts],
    timestamp,
    trace_id: traceId,
    correlation_id: correlationId,
  };
  if (expected.aadsts !== undefined) expectedBody["error_uri"] = expect.stringMatching(new RegExp(`/error\\?code=${expected.aadsts}$`));
  expect(body).toEqual(expectedBody);
}

/**
 * Why a Graph answer is not well-formed, or undefined when it is: a 204 without body, or an error
 * in Graph's envelope whose ids match the headers. Used by the property tests.
 */
export function graphResponseProblem(response: RawResponse): string | undefined {
  const requestId = response.headers["request-id"];
  if (typeof requestId !== "string" || !guidPattern.test(requestId)) return "no request-id";
  if (typeof response.headers["client-request-id"] !== "string") return "no client-request-id";
  if (!response.headers.date) return "no Date";
  if (response.status === 204) return response.body === "" ? undefined : "204 with a body";
  if (response.status < 400 || response.status > 599) return `unexpected status ${response.status}`;
  if (response.headers["content-type"] !== "application/json") return "error without application/json";
  let body: { error?: { innerError?: Record<string, unknown> } };
  try {
    body = JSON.parse(response.body) as typeof body;
  } catch {
    return "error body is not JSON";
  }
  if (!validateODataError(body)) return "error body is not an ODataError";
  const inner = body.error?.innerError;
  if (inner?.["request-id"] !== requestId) return "innerError.request-id differs from the header";
  if (inner?.["client-request-id"] !== response.headers["client-request-id"]) return "innerError.client-request-id differs";
  if (typeof inner?.["date"] !== "string" || !graphDatePattern.test(inner["date"])) return "innerError.date malformed";
  return undefined;
}

/** Why a token-endpoint answer is not well-formed Entra, or undefined when it is. */
export function entraResponseProblem(response: RawResponse): string | undefined {
  if (response.headers["content-type"] !== "application/json; charset=utf-8") return "not JSON";
  let body: Record<string, unknown>;
  try {
    body = JSON.parse(response.body) as Record<string, unknown>;
  } catch {
    return "body is not JSON";
  }
  if (response.status === 200) {
    return body["token_type"] === "Bearer" && typeof body["access_token"] === "string" && typeof body["expires_in"] === "number"
      ? undefined
      : "200 without a token";
  }
  if (response.status < 400 || response.status > 599) return `unexpected status ${response.status}`;
  if (typeof body["error"] !== "string") return "no error";
  if (typeof body["error_description"] !== "string" || !body["error_description"].includes("\r\nTrace ID: ")) return "bad error_description";
  if (!Array.isArray(body["error_codes"])) return "no error_codes";
  if (typeof body["trace_id"] !== "string" || !guidPattern.test(body["trace_id"])) return "bad trace_id";
  if (typeof body["correlation_id"] !== "string") return "no correlation_id";
  if (typeof body["timestamp"] !== "string" || !entraTimestampPattern.test(body["timestamp"])) return "bad timestamp";
  return undefined;
}
