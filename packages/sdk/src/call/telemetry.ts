import {
  context as otelContext,
  isSpanContextValid,
  metrics,
  propagation,
  SpanKind,
  SpanStatusCode,
  trace,
  TraceFlags,
  type Attributes,
  type Context,
  type Counter,
  type Histogram,
  type MeterProvider,
  type Span,
  type TextMapSetter,
} from "@opentelemetry/api";
import { setRequestHeader, type FetchRequestInit } from "@microsoft/kiota-http-fetchlibrary";
import type { CloudName } from "../clouds.js";
import { SDK_VERSION, type GraphApiVersion } from "../constants.js";
import type { GraphSyncError } from "../errors/graphSyncError.js";
import { redact } from "../errors/redaction.js";
import { targetCollection, type ResolvedTarget } from "../validation/validateTarget.js";
import type { AttemptFailureReason } from "../failures/noAnswer.js";

// OpenTelemetry traces and metrics of acquireAccessToken calls, through @opentelemetry/api only:
// with no OpenTelemetry SDK registered every tracer, span and instrument is the API's no-op, and
// the SDK builds no attribute it would throw away (see `recording`).
//
// What is recorded is chosen here, field by field, never copied from a request or an error: no
// credential value, token, request or response body, header other than the correlation ids, error
// message or query string ever reaches a span, an event or a metric. Server-provided strings that
// are recorded (request-id, Graph's error code) still go through the SDK's redaction.
//
// Kiota's FetchRequestAdapter opens spans of its own (tracer "@microsoft/kiota-http-fetchlibrary":
// "sendNoResponseContent - {+baseurl}/…", "getHttpResponseMessage", …). They repeat what the
// SDK's spans say, carry a wrong `server.address` (the URL scheme) and record Graph's error
// message unredacted. The SDK runs Kiota under its call span's context marked not sampled: a
// parent-based sampler (the OpenTelemetry default) then drops them, and with any other sampler they
// still land under the call span. The attempt spans are the SDK's, parented to the call span
// explicitly, and the fetch runs in the attempt span's context so that HTTP instrumentation below
// (undici) nests under it.

/** The instrumentation scope of the SDK's spans and metrics. */
export const INSTRUMENTATION_NAME = "@graph-sync/sdk";

/** The call span, named `<Client>.<method>` as Azure SDKs name theirs. */
export const CALL_SPAN_NAME = "SyncClient.acquireAccessToken";

/** Attribute names that no semantic convention covers, under the SDK's namespace. */
export const GraphSyncAttributes = {
  targetKind: "graph_sync.target.kind",
  targetId: "graph_sync.target.id",
  apiVersion: "graph_sync.api_version",
  cloud: "graph_sync.cloud",
  requestId: "graph_sync.request_id",
  clientRequestId: "graph_sync.client_request_id",
  attempts: "graph_sync.attempts",
  outcome: "graph_sync.outcome",
  errorCode: "graph_sync.error.code",
  retryReason: "graph_sync.retry.reason",
  retryDelay: "graph_sync.retry.delay_ms",
  retryAfter: "graph_sync.retry.retry_after_ms",
  tokenDuration: "graph_sync.token.duration_ms",
  deprecationSince: "graph_sync.deprecation.since",
  deprecationSunset: "graph_sync.deprecation.sunset",
  deprecationLink: "graph_sync.deprecation.link",
} as const;

/** Span events, in the SDK's namespace. */
export const GraphSyncEvents = {
  tokenAcquired: "graph_sync.token.acquired",
  tokenFailed: "graph_sync.token.failed",
  retryWait: "graph_sync.retry.wait",
  deprecation: "graph_sync.deprecation",
} as const;

/** The metrics' names (http.client.request.duration is the semantic convention's). */
export const MetricNames = {
  requestDuration: "http.client.request.duration",
  calls: "graph_sync.calls",
  throttled: "graph_sync.throttled_responses",
  retries: "graph_sync.retries",
  retryAfterWait: "graph_sync.retry_after.wait.duration",
} as const;

const tracer = trace.getTracer(INSTRUMENTATION_NAME, SDK_VERSION);

/** The semantic convention's advice for http.client.request.duration, in seconds. */
const DURATION_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1, 2.5, 5, 7.5, 10];
const WAIT_BUCKETS = [0.1, 0.5, 1, 2, 5, 10, 30, 60, 120];

/** The SDK's instruments on one meter. */
class Instruments {
  readonly requestDuration: Histogram;
  readonly calls: Counter;
  readonly throttled: Counter;
  readonly retries: Counter;
  readonly retryAfterWait: Histogram;

  constructor(provider: MeterProvider) {
    const meter = provider.getMeter(INSTRUMENTATION_NAME, SDK_VERSION);
    this.requestDuration = meter.createHistogram(MetricNames.requestDuration, {
      description: "Duration of HTTP client requests (one per attempt).",
      unit: "s",
      advice: { explicitBucketBoundaries: DURATION_BUCKETS },
    });
    this.calls = meter.createCounter(MetricNames.calls, { description: "acquireAccessToken calls, by outcome.", unit: "{call}" });
    this.throttled = meter.createCounter(MetricNames.throttled, { description: "429 answers from Graph.", unit: "{response}" });
    this.retries = meter.createCounter(MetricNames.retries, { description: "Attempts resent after a retryable failure.", unit: "{retry}" });
    this.retryAfterWait = meter.createHistogram(MetricNames.retryAfterWait, {
      description: "Time spent waiting because Graph's Retry-After said so.",
      unit: "s",
      advice: { explicitBucketBoundaries: WAIT_BUCKETS },
    });
  }
}

/**
 * The meter API has no proxy (a meter taken before an SDK registers stays a no-op), so the
 * instruments are looked up per call and rebuilt only when the global MeterProvider changed.
 */
let instruments: { provider: MeterProvider; set: Instruments } | undefined;

function currentInstruments(): Instruments {
  const provider = metrics.getMeterProvider();
  if (instruments?.provider !== provider) instruments = { provider, set: new Instruments(provider) };
  return instruments.set;
}

interface Server {
  readonly address: string;
  readonly port: number;
  readonly scheme: string;
  /** The versioned path of the Graph URL, for example `/v1.0`. */
  readonly basePath: string;
}

/** Graph URLs seen (a handful per process), parsed once each. */
const servers = new Map<string, Server>();
const MAX_SERVERS = 32;

function serverOf(graphUrl: string): Server {
  let server = servers.get(graphUrl);
  if (server) return server;
  const url = new URL(graphUrl);
  const scheme = url.protocol.slice(0, -1);
  server = {
    address: url.hostname,
    port: url.port ? Number(url.port) : scheme === "https" ? 443 : 80,
    scheme,
    basePath: url.pathname.replace(/\/$/, ""),
  };
  if (servers.size >= MAX_SERVERS) servers.clear();
  servers.set(graphUrl, server);
  return server;
}

export interface CallTelemetryInit {
  readonly target: ResolvedTarget;
  readonly apiVersion: GraphApiVersion;
  readonly cloud: CloudName;
  readonly graphUrl: string;
  readonly clientRequestId: string;
  readonly secrets: readonly string[];
}

/** One HTTP attempt's span and when it started. */
export interface AttemptTelemetry {
  readonly span: Span;
  readonly context: Context;
  readonly startedAt: number;
  /** Set by endAttempt: an attempt is measured once. */
  ended: boolean;
}

/** Kiota's adapter builds the RequestInit with its headers as a plain object, which Kiota's helper writes. */
const requestInitSetter: TextMapSetter<RequestInit> = { set: (carrier, key, value) => setRequestHeader(carrier as FetchRequestInit, key, value) };

/** The spans and metrics of one acquireAccessToken call. */
export class CallTelemetry {
  /** False when no OpenTelemetry SDK records the call span: then no attribute is built. */
  readonly recording: boolean;
  /**
   * No trace at all (no OpenTelemetry SDK, and no trace context from the caller): attempts then
   * get no span and no context of their own, which would only be the API's no-ops.
   */
  private readonly dormant: boolean;
  private readonly span: Span;
  /** The caller's context with the call span: the attempts' parent. */
  private readonly callContext: Context;
  private readonly instruments: Instruments;
  private readonly server: Server;
  private readonly urlTemplate: string;
  private lastStatus: number | undefined;
  private lastRequestId: string | undefined;
  /** The client-request-id as recorded (redacted once: the caller chose it), when recording. */
  private readonly recordedClientRequestId: string | undefined;

  constructor(private readonly init: CallTelemetryInit) {
    this.instruments = currentInstruments();
    this.server = serverOf(init.graphUrl);
    const parent = otelContext.active();
    this.span = tracer.startSpan(CALL_SPAN_NAME, { kind: SpanKind.CLIENT }, parent);
    this.recording = this.span.isRecording();
    this.dormant = !this.recording && !isSpanContextValid(this.span.spanContext());
    this.callContext = this.dormant ? parent : trace.setSpan(parent, this.span);
    this.recordedClientRequestId = this.recording ? this.redact(init.clientRequestId) : undefined;
    const collection = targetCollection(init.target);
    this.urlTemplate = `${this.server.basePath}/${collection}/{id}/synchronization/acquireAccessToken`;
    if (this.recording) {
      this.span.setAttributes({
        "http.request.method": "POST",
        "server.address": this.server.address,
        "server.port": this.server.port,
        "url.template": this.urlTemplate,
        [GraphSyncAttributes.targetKind]: init.target.kind,
        [GraphSyncAttributes.targetId]: init.target.id,
        [GraphSyncAttributes.apiVersion]: init.apiVersion,
        [GraphSyncAttributes.cloud]: init.cloud,
        [GraphSyncAttributes.clientRequestId]: this.recordedClientRequestId,
      });
    }
  }

  /**
   * Runs Kiota's request under the call span's context marked not sampled (see the top of this
   * file); with tracing off, just runs it.
   */
  runKiota<T>(send: () => Promise<T>): Promise<T> {
    if (!this.recording) return send();
    const unsampled = trace.wrapSpanContext({ ...this.span.spanContext(), traceFlags: TraceFlags.NONE });
    return otelContext.with(trace.setSpan(this.callContext, unsampled), send);
  }

  /** Runs `fn` in the call span's context (the token request, so a credential's own spans nest). */
  runInCall<T>(fn: () => T): T {
    return this.recording ? otelContext.with(this.callContext, fn) : fn();
  }

  /** Starts an attempt's span (`resendCount` attempts went before it) and puts its `traceparent` on the request. */
  startAttempt(resendCount: number, requestInit: RequestInit): AttemptTelemetry {
    if (this.dormant) {
      // Still through the propagator: one may carry something other than the trace (baggage).
      propagation.inject(this.callContext, requestInit, requestInitSetter);
      return { span: this.span, context: this.callContext, startedAt: performance.now(), ended: false };
    }
    const span = tracer.startSpan(`POST ${this.urlTemplate}`, { kind: SpanKind.CLIENT }, this.callContext);
    const context = trace.setSpan(this.callContext, span);
    if (span.isRecording()) {
      span.setAttributes({
        "http.request.method": "POST",
        "server.address": this.server.address,
        "server.port": this.server.port,
        "url.scheme": this.server.scheme,
        "url.template": this.urlTemplate,
        // The action's URL has no query string; the id in its path is not a secret.
        "url.full": `${this.init.graphUrl}/${targetCollection(this.init.target)}/${this.init.target.id}/synchronization/acquireAccessToken`,
        [GraphSyncAttributes.clientRequestId]: this.recordedClientRequestId ?? this.redact(this.init.clientRequestId),
      });
      if (resendCount > 0) span.setAttribute("http.request.resend_count", resendCount);
    }
    // A propagator (W3C trace context, usually) adds traceparent; with none registered, nothing.
    propagation.inject(context, requestInit, requestInitSetter);
    return { span, context, startedAt: performance.now(), ended: false };
  }

  /** Runs the attempt's fetch in its span's context, so HTTP instrumentation nests under it. */
  runAttempt<T>(attempt: AttemptTelemetry, fetch: () => Promise<T>): Promise<T> {
    return this.recording ? otelContext.with(attempt.context, fetch) : fetch();
  }

  /** Ends an attempt that got an answer (`status`) or none (`failure`). */
  endAttempt(attempt: AttemptTelemetry, status: number | undefined, headers: Headers | undefined, failure?: AttemptFailureReason): void {
    if (attempt.ended) return;
    attempt.ended = true;
    const errorType = failure ?? (status !== undefined && status >= 400 ? String(status) : undefined);
    const metricAttributes: Attributes = {
      "http.request.method": "POST",
      "server.address": this.server.address,
      "server.port": this.server.port,
    };
    if (status !== undefined) metricAttributes["http.response.status_code"] = status;
    if (errorType !== undefined) metricAttributes["error.type"] = errorType;
    this.instruments.requestDuration.record((performance.now() - attempt.startedAt) / 1000, metricAttributes);
    if (status === 429) this.instruments.throttled.add(1, { "server.address": this.server.address });
    if (status !== undefined) this.lastStatus = status;
    if (!attempt.span.isRecording()) {
      attempt.span.end();
      return;
    }
    const requestId = headers?.get("request-id") ?? undefined;
    if (requestId !== undefined) this.lastRequestId = this.redact(requestId);
    if (status !== undefined) attempt.span.setAttribute("http.response.status_code", status);
    if (this.lastRequestId !== undefined && requestId !== undefined) attempt.span.setAttribute(GraphSyncAttributes.requestId, this.lastRequestId);
    if (errorType !== undefined) {
      attempt.span.setAttribute("error.type", errorType);
      attempt.span.setStatus({ code: SpanStatusCode.ERROR, message: errorType });
    }
    attempt.span.end();
  }

  /** A wait before resending: `retryAfterInMs` when Graph's Retry-After set it, `reason` a status or a failure reason. */
  retryWait(delayInMs: number, retryAfterInMs: number | undefined, reason: string, resendCount: number): void {
    this.instruments.retries.add(1, { [GraphSyncAttributes.retryReason]: reason, "server.address": this.server.address });
    if (!this.recording) return;
    const attributes: Attributes = {
      [GraphSyncAttributes.retryReason]: reason,
      [GraphSyncAttributes.retryDelay]: Math.round(delayInMs),
      "http.request.resend_count": resendCount,
    };
    if (retryAfterInMs !== undefined) attributes[GraphSyncAttributes.retryAfter] = Math.round(retryAfterInMs);
    this.span.addEvent(GraphSyncEvents.retryWait, attributes);
  }

  /** Time actually spent waiting because of a Retry-After (cut short when the call ends during the wait). */
  retryAfterWaited(waitedInMs: number): void {
    this.instruments.retryAfterWait.record(Math.max(0, waitedInMs) / 1000, { "server.address": this.server.address });
  }

  tokenAcquired(durationInMs: number): void {
    if (this.recording) this.span.addEvent(GraphSyncEvents.tokenAcquired, { [GraphSyncAttributes.tokenDuration]: Math.round(durationInMs) });
  }

  /** The token request failed; `errorType` is the GraphSyncError kind, never the message. */
  tokenFailed(durationInMs: number, errorType: string): void {
    if (this.recording) {
      this.span.addEvent(GraphSyncEvents.tokenFailed, { [GraphSyncAttributes.tokenDuration]: Math.round(durationInMs), "error.type": errorType });
    }
  }

  /** Graph's Deprecation/Sunset notice on an answer (dates as YYYY-MM-DD, the link without its query). */
  deprecation(since: string | undefined, sunset: string | undefined, link: string | undefined): void {
    if (!this.recording) return;
    const attributes: Attributes = { [GraphSyncAttributes.apiVersion]: this.init.apiVersion };
    if (since !== undefined) attributes[GraphSyncAttributes.deprecationSince] = since;
    if (sunset !== undefined) attributes[GraphSyncAttributes.deprecationSunset] = sunset;
    if (link !== undefined) attributes[GraphSyncAttributes.deprecationLink] = this.redact(withoutQuery(link));
    this.span.addEvent(GraphSyncEvents.deprecation, attributes);
  }

  /** The call succeeded after `attempts` attempts. */
  succeed(attempts: number): void {
    this.count("success");
    if (!this.recording) return this.span.end();
    this.setOutcome(attempts);
    this.span.setStatus({ code: SpanStatusCode.OK });
    this.span.end();
  }

  /** The call failed: status ERROR with the error's kind, `error.type` the kind, and Graph's error code. */
  fail(error: GraphSyncError): void {
    this.count(error.kind);
    if (!this.recording) return this.span.end();
    this.setOutcome(error.attempts);
    this.span.setAttribute("error.type", error.kind);
    if (error.code !== undefined) this.span.setAttribute(GraphSyncAttributes.errorCode, this.redact(error.code));
    this.span.setStatus({ code: SpanStatusCode.ERROR, message: error.kind });
    this.span.end();
  }

  private count(outcome: string): void {
    this.instruments.calls.add(1, {
      [GraphSyncAttributes.outcome]: outcome,
      [GraphSyncAttributes.apiVersion]: this.init.apiVersion,
      [GraphSyncAttributes.cloud]: this.init.cloud,
      [GraphSyncAttributes.targetKind]: this.init.target.kind,
    });
  }

  private setOutcome(attempts: number): void {
    this.span.setAttribute(GraphSyncAttributes.attempts, attempts);
    if (attempts > 1) this.span.setAttribute("http.request.resend_count", attempts - 1);
    if (this.lastStatus !== undefined) this.span.setAttribute("http.response.status_code", this.lastStatus);
    if (this.lastRequestId !== undefined) this.span.setAttribute(GraphSyncAttributes.requestId, this.lastRequestId);
  }

  private redact(value: string): string {
    return redact(value, this.init.secrets);
  }
}

function withoutQuery(url: string): string {
  const cut = url.search(/[?#]/);
  return cut === -1 ? url : url.slice(0, cut);
}
