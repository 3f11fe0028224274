// OpenTelemetry traces and metrics of acquireAccessToken against the emulator, recorded by the real
// OpenTelemetry SDK (in-memory span exporter, a pull metric reader): span names, parent/child links,
// attributes, events, status and metric values for success, 429-then-success, 404, token failure,
// abort and timeout, and no secret anywhere in what was recorded.
import tls from "node:tls";
import { afterAll, beforeAll, beforeEach, describe, expect, test } from "vitest";
import type { AccessToken, TokenCredential } from "@azure/core-auth";
import { context, metrics, propagation, SpanKind, SpanStatusCode, trace, type Span } from "@opentelemetry/api";
import { AsyncLocalStorageContextManager } from "@opentelemetry/context-async-hooks";
import { W3CTraceContextPropagator } from "@opentelemetry/core";
import { AggregationTemporality, DataPointType, MeterProvider, MetricReader, type HistogramMetricData, type MetricData } from "@opentelemetry/sdk-metrics";
import { InMemorySpanExporter, SimpleSpanProcessor, TracerProvider, type ReadableSpan } from "@opentelemetry/sdk-trace";
import { createCredentialFromEnvironment, createSyncClient, type CreateSyncClientOptions } from "@graph-sync/sdk";
import { captureError } from "./support/capture.js";
import { startTestEmulator, type RunningEmulator } from "@graph-sync/test-support";

/** Collects on demand: the test reads metrics when it wants them. */
class PullReader extends MetricReader {
  constructor() {
    super({ aggregationTemporalitySelector: () => AggregationTemporality.CUMULATIVE });
  }
  protected override async onForceFlush(): Promise<void> {}
  protected override async onShutdown(): Promise<void> {}
}

/** This test's spans (reset before each test). */
const spans = new InMemorySpanExporter();
/** Every span of the file, for the secrets check at the end. */
const everySpan = new InMemorySpanExporter();
const reader = new PullReader();
const tracerProvider = new TracerProvider({ spanProcessors: [new SimpleSpanProcessor({ exporter: spans }), new SimpleSpanProcessor({ exporter: everySpan })] });
const meterProvider = new MeterProvider({ readers: [reader] });
context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
propagation.setGlobalPropagator(new W3CTraceContextPropagator());
trace.setGlobalTracerProvider(tracerProvider);
metrics.setGlobalMeterProvider(meterProvider);
const callerTracer = trace.getTracer("caller");

let emulator: RunningEmulator;
let credential: TokenCredential;
/** Every access token handed out in this file: none may show up in a span or a metric. */
const tokensSeen: string[] = [];
/** Every secret value sent or configured in this file. */
const secretsUsed: string[] = [];

function recordingTokens(inner: TokenCredential): TokenCredential {
  return {
    async getToken(scopes, options): Promise<AccessToken | null> {
      const token = await inner.getToken(scopes, options);
      if (token) tokensSeen.push(token.token);
      return token;
    },
  };
}

beforeAll(async () => {
  emulator = await startTestEmulator();
  tls.setDefaultCACertificates([...tls.getCACertificates("default"), emulator.caCertPem]);
  secretsUsed.push(emulator.clientSecret);
  credential = recordingTokens(
    await createCredentialFromEnvironment({
      env: { AZURE_TENANT_ID: emulator.tenantId, AZURE_CLIENT_ID: emulator.clientId, AZURE_CLIENT_SECRET: emulator.clientSecret },
      authorityHost: emulator.loginUrl,
    }),
  );
});
afterAll(async () => {
  await emulator.close();
  await tracerProvider.shutdown();
  await meterProvider.shutdown();
  trace.disable();
  metrics.disable();
  propagation.disable();
  context.disable();
});
beforeEach(async () => {
  await emulator.admin.setThrottling({ enabled: false });
  await emulator.admin.setFaults({ rate: 0 });
  spans.reset();
});

function client(options: Partial<CreateSyncClientOptions> = {}) {
  return createSyncClient({ credential, baseUrl: emulator.graphUrl, logger: {}, ...options });
}

async function freshCredentials() {
  const code = await emulator.getAuthorizationCode(emulator.servicePrincipalId);
  secretsUsed.push(code);
  return { Oauth2AuthorizationCode: code, Oauth2RedirectUri: emulator.target.redirectUri };
}

/** Runs `call` inside a caller's span, as an application's own work would. */
async function inCallerSpan<T>(call: () => Promise<T>): Promise<{ parent: Span; outcome: T }> {
  return callerTracer.startActiveSpan("caller work", async (parent) => {
    try {
      return { parent, outcome: await call() };
    } finally {
      parent.end();
    }
  });
}

/** The SDK's spans: the call span and its attempts, in order. */
function sdkSpans(): { call: ReadableSpan; attempts: ReadableSpan[]; all: ReadableSpan[] } {
  const all = spans.getFinishedSpans().filter((span) => span.instrumentationScope.name === "@graph-sync/sdk");
  const calls = all.filter((span) => span.name === "SyncClient.acquireAccessToken");
  expect(calls).toHaveLength(1);
  const call = calls[0]!;
  const attempts = all.filter((span) => span.parentSpanContext?.spanId === call.spanContext().spanId);
  return { call, attempts, all };
}

function expectChildOf(child: ReadableSpan, parent: { spanContext(): { traceId: string; spanId: string } }): void {
  expect(child.spanContext().traceId).toBe(parent.spanContext().traceId);
  expect(child.parentSpanContext?.spanId).toBe(parent.spanContext().spanId);
}

async function collect(): Promise<MetricData[]> {
  const { resourceMetrics } = await reader.collect();
  return resourceMetrics.scopeMetrics.filter((scope) => scope.scope.name === "@graph-sync/sdk").flatMap((scope) => scope.metrics);
}

function findMetric(all: MetricData[], name: string): MetricData | undefined {
  return all.find((data) => data.descriptor.name === name);
}

function metric(all: MetricData[], name: string): MetricData {
  const found = all.find((data) => data.descriptor.name === name);
  if (!found) throw new Error(`no metric ${name}; got ${all.map((data) => data.descriptor.name).join(", ")}`);
  return found;
}

/** The sum of a counter's points whose attributes include `attributes` (0 when nothing was counted yet). */
function counted(data: MetricData | undefined, attributes: Record<string, unknown>): number {
  if (data === undefined) return 0;
  expect(data.dataPointType).toBe(DataPointType.SUM);
  return data.dataPoints
    .filter((point) => Object.entries(attributes).every(([key, value]) => point.attributes[key] === value))
    .reduce((sum, point) => sum + (point.value as number), 0);
}

/** How many values a histogram recorded with `attributes`. */
function histogramCount(data: MetricData, attributes: Record<string, unknown>): number {
  expect(data.dataPointType).toBe(DataPointType.HISTOGRAM);
  return (data as HistogramMetricData).dataPoints
    .filter((point) => Object.entries(attributes).every(([key, value]) => point.attributes[key] === value))
    .reduce((sum, point) => sum + point.value.count, 0);
}

/** Everything recorded (spans of every scope, Kiota's included, and metrics), as one text. */
async function everythingRecorded(): Promise<string> {
  const recordedSpans = everySpan.getFinishedSpans().map((span) => ({
    name: span.name,
    attributes: span.attributes,
    events: span.events.map((event) => ({ name: event.name, attributes: event.attributes })),
    status: span.status,
    links: span.links,
  }));
  const { resourceMetrics } = await reader.collect();
  return JSON.stringify({ recordedSpans, metrics: resourceMetrics.scopeMetrics });
}

const servicePrincipal = () => ({ servicePrincipalId: emulator.servicePrincipalId });

test("success: a CLIENT call span under the caller's span, one attempt span, semantic-convention attributes, metrics", async () => {
  const before = await collect();
  const callsBefore = counted(findMetric(before, "graph_sync.calls"), { "graph_sync.outcome": "success" });
  const { parent, outcome: result } = await inCallerSpan(async () => client().acquireAccessToken(servicePrincipal(), await freshCredentials()));
  const { call, attempts } = sdkSpans();

  expect(call.kind).toBe(SpanKind.CLIENT);
  expectChildOf(call, parent);
  expect(call.status.code).toBe(SpanStatusCode.OK);
  const graph = new URL(emulator.graphUrl);
  expect(call.attributes).toMatchObject({
    "http.request.method": "POST",
    "server.address": graph.hostname,
    "server.port": Number(graph.port),
    "url.template": "/v1.0/servicePrincipals/{id}/synchronization/acquireAccessToken",
    "http.response.status_code": 204,
    "graph_sync.target.kind": "servicePrincipal",
    "graph_sync.target.id": emulator.servicePrincipalId,
    "graph_sync.api_version": "v1.0",
    "graph_sync.cloud": "global",
    "graph_sync.client_request_id": result.clientRequestId,
    "graph_sync.request_id": result.requestId,
    "graph_sync.attempts": 1,
  });
  expect(call.attributes["http.request.resend_count"]).toBeUndefined();
  expect(call.attributes["error.type"]).toBeUndefined();
  expect(call.events.map((event) => event.name)).toEqual(["graph_sync.token.acquired"]);

  expect(attempts).toHaveLength(1);
  const [attempt] = attempts as [ReadableSpan];
  expect(attempt.name).toBe("POST /v1.0/servicePrincipals/{id}/synchronization/acquireAccessToken");
  expect(attempt.kind).toBe(SpanKind.CLIENT);
  expect(attempt.attributes).toMatchObject({
    "http.response.status_code": 204,
    "url.full": `${emulator.graphUrl}/v1.0/servicePrincipals/${emulator.servicePrincipalId}/synchronization/acquireAccessToken`,
    "graph_sync.request_id": result.requestId,
  });

  // The emulator logged the attempt's traceparent: the span and the request served are one.
  const served = (await emulator.admin.requests()).find((entry) => entry.clientRequestId === result.clientRequestId);
  expect(served?.traceparent).toBe(`00-${attempt.spanContext().traceId}-${attempt.spanContext().spanId}-01`);

  // Kiota's own spans are not sampled under the default parent-based sampler.
  expect(spans.getFinishedSpans().filter((span) => span.instrumentationScope.name.startsWith("@microsoft/kiota"))).toEqual([]);

  const after = await collect();
  expect(counted(metric(after, "graph_sync.calls"), { "graph_sync.outcome": "success" })).toBe(callsBefore + 1);
  const duration = metric(after, "http.client.request.duration");
  expect(duration.descriptor.unit).toBe("s");
  expect(histogramCount(duration, { "http.response.status_code": 204, "server.address": graph.hostname, "http.request.method": "POST" })).toBeGreaterThanOrEqual(1);
});

test("429 then success: two attempts, a retry event with Graph's Retry-After, the 429, retry and wait metrics", async () => {
  await emulator.admin.setThrottling({ enabled: true, limit: 1, windowSeconds: 1, retryAfterFormat: "integer" });
  const sdk = client();
  const codes = [await freshCredentials(), await freshCredentials()] as const;
  await sdk.acquireAccessToken(servicePrincipal(), codes[0]);
  spans.reset();
  const before = await collect();
  const throttledBefore = counted(findMetric(before, "graph_sync.throttled_responses"), {});
  const result = await sdk.acquireAccessToken(servicePrincipal(), codes[1]);
  expect(result.attempts).toBe(2);

  const { call, attempts } = sdkSpans();
  expect(call.status.code).toBe(SpanStatusCode.OK);
  expect(call.attributes).toMatchObject({ "http.request.resend_count": 1, "graph_sync.attempts": 2, "http.response.status_code": 204 });
  expect(attempts.map((span) => span.attributes["http.response.status_code"])).toEqual([429, 204]);
  expect(attempts[0]?.attributes["error.type"]).toBe("429");
  expect(attempts[0]?.status.code).toBe(SpanStatusCode.ERROR);
  expect(attempts[1]?.attributes["http.request.resend_count"]).toBe(1);
  const wait = call.events.find((event) => event.name === "graph_sync.retry.wait");
  expect(wait?.attributes).toMatchObject({ "graph_sync.retry.reason": "429", "http.request.resend_count": 1 });
  expect(wait?.attributes?.["graph_sync.retry.retry_after_ms"]).toBe(wait?.attributes?.["graph_sync.retry.delay_ms"]);
  expect(wait?.attributes?.["graph_sync.retry.retry_after_ms"]).toBeGreaterThan(0);

  const after = await collect();
  expect(counted(metric(after, "graph_sync.throttled_responses"), {}) - throttledBefore).toBe(1);
  expect(counted(metric(after, "graph_sync.retries"), { "graph_sync.retry.reason": "429" })).toBeGreaterThanOrEqual(1);
  expect(histogramCount(metric(after, "graph_sync.retry_after.wait.duration"), {})).toBeGreaterThanOrEqual(1);
  expect(histogramCount(metric(after, "http.client.request.duration"), { "http.response.status_code": 429, "error.type": "429" })).toBeGreaterThanOrEqual(1);
});

test("404: status ERROR with the kind, error.type, Graph's error code, counted as not-found", async () => {
  const missing = "00000000-0000-4000-8000-000000000001";
  const error = await captureError(client().acquireAccessToken({ applicationId: missing }, { Oauth2AuthorizationCode: "unused-code-404" }));
  expect(error.kind).toBe("not-found");
  const { call, attempts } = sdkSpans();
  expect(call.status).toEqual({ code: SpanStatusCode.ERROR, message: "not-found" });
  expect(call.attributes).toMatchObject({
    "error.type": "not-found",
    "graph_sync.error.code": error.code,
    "http.response.status_code": 404,
    "graph_sync.target.kind": "application",
    "url.template": "/v1.0/applications/{id}/synchronization/acquireAccessToken",
  });
  expect(attempts).toHaveLength(1);
  expect(attempts[0]?.attributes["error.type"]).toBe("404");
  expect(counted(metric(await collect(), "graph_sync.calls"), { "graph_sync.outcome": "not-found" })).toBeGreaterThanOrEqual(1);
});

test("token failure: a token.failed event, no attempt, status ERROR authentication", async () => {
  const wrongSecret = "wrong-client-secret-TELEMETRY-0123456789";
  secretsUsed.push(wrongSecret);
  const badCredential = await createCredentialFromEnvironment({
    env: { AZURE_TENANT_ID: emulator.tenantId, AZURE_CLIENT_ID: emulator.clientId, AZURE_CLIENT_SECRET: wrongSecret },
    authorityHost: emulator.loginUrl,
  });
  const error = await captureError(client({ credential: badCredential }).acquireAccessToken(servicePrincipal(), await freshCredentials()));
  expect(error.kind).toBe("authentication");
  const { call, attempts } = sdkSpans();
  expect(attempts).toEqual([]);
  expect(call.status).toEqual({ code: SpanStatusCode.ERROR, message: "authentication" });
  expect(call.events.map((event) => [event.name, event.attributes?.["error.type"]])).toEqual([["graph_sync.token.failed", "authentication"]]);
  expect(counted(metric(await collect(), "graph_sync.calls"), { "graph_sync.outcome": "authentication" })).toBeGreaterThanOrEqual(1);
});

describe("no answer", () => {
  test("abort while the request is in flight: attempt span ERROR aborted, call span ERROR aborted", async () => {
    await emulator.admin.setFaults({ rate: 1, kinds: ["stall"], paths: "graph", seed: 1 });
    const controller = new AbortController();
    const credentials = await freshCredentials();
    // Aborted once the request reached the emulator's Graph (the stalled answer never comes).
    const abortWhenServed = recordingTokens({
      getToken: async (scopes, options) => {
        const token = await credential.getToken(scopes, options);
        setTimeout(() => controller.abort(), 50);
        return token;
      },
    });
    const error = await captureError(
      client({ credential: abortWhenServed }).acquireAccessToken(servicePrincipal(), credentials, { abortSignal: controller.signal }),
    );
    expect(error.kind).toBe("aborted");
    const { call, attempts } = sdkSpans();
    expect(call.status).toEqual({ code: SpanStatusCode.ERROR, message: "aborted" });
    expect(attempts.map((span) => span.attributes["error.type"])).toEqual(["aborted"]);
    expect(counted(metric(await collect(), "graph_sync.calls"), { "graph_sync.outcome": "aborted" })).toBeGreaterThanOrEqual(1);
  });

  test("attempt timeout: attempt span ERROR attempt-timeout, call span ERROR timeout", async () => {
    await emulator.admin.setFaults({ rate: 1, kinds: ["stall"], paths: "graph", seed: 1 });
    const error = await captureError(client({ attemptTimeoutInMs: 200 }).acquireAccessToken(servicePrincipal(), await freshCredentials()));
    expect(error.kind).toBe("timeout");
    const { call, attempts } = sdkSpans();
    expect(call.status).toEqual({ code: SpanStatusCode.ERROR, message: "timeout" });
    expect(call.attributes["error.type"]).toBe("timeout");
    expect(attempts.map((span) => span.attributes["error.type"])).toEqual(["attempt-timeout"]);
    const duration = metric(await collect(), "http.client.request.duration");
    expect(histogramCount(duration, { "error.type": "attempt-timeout" })).toBeGreaterThanOrEqual(1);
  });
});

test("beta: the deprecation notice is an event on every traced call", async () => {
  await client({ apiVersion: "beta" }).acquireAccessToken(servicePrincipal(), await freshCredentials());
  spans.reset();
  await client({ apiVersion: "beta" }).acquireAccessToken(servicePrincipal(), await freshCredentials());
  const { call } = sdkSpans();
  const notice = call.events.find((event) => event.name === "graph_sync.deprecation");
  expect(notice?.attributes).toMatchObject({ "graph_sync.api_version": "beta", "graph_sync.deprecation.sunset": "2027-07-06" });
});

// Last: every span and metric this file recorded, over every failure kind above.
test("nothing recorded carries a secret, a token or an authorization URL's query", async () => {
  await emulator.admin.setThrottling({ enabled: true, limit: 1, windowSeconds: 1, retryAfterFormat: "fractional" });
  const sdk = client();
  const codes = [await freshCredentials(), await freshCredentials()] as const;
  await sdk.acquireAccessToken(servicePrincipal(), codes[0]);
  await sdk.acquireAccessToken(servicePrincipal(), codes[1]);
  const reused = await captureError(sdk.acquireAccessToken(servicePrincipal(), codes[0]));
  expect(reused.kind).toBe("bad-request");
  const recorded = await everythingRecorded();
  // Every kind of call above was recorded: success, retries, 404, token failure, abort, timeout, 400.
  for (const outcome of ["not-found", "authentication", "aborted", "timeout", "bad-request"]) expect(recorded).toContain(`"error.type":"${outcome}"`);
  expect(tokensSeen.length).toBeGreaterThan(0);
  for (const secret of [...secretsUsed, ...tokensSeen]) expect(recorded).not.toContain(secret);
  expect(recorded).not.toMatch(/code=|client_secret|Bearer|eyJ/);
});
