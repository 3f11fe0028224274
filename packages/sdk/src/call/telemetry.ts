import {
  context as otelContext,
  isSpanContextValid,
  SpanKind,
  SpanStatusCode,
  trace,
  TraceFlags,
  type Attributes,
  type Context,
  type Span,
} from "@opentelemetry/api";
import type { CloudName } from "../clouds.js";
import { SDK_VERSION, type GraphApiVersion } from "../constants.js";
import type { GraphSyncError } from "../errors/graphSyncError.js";
import { redact } from "../errors/redaction.js";
import { targetCollection, type ResolvedTarget } from "../validation/validateTarget.js";
import { AttemptTelemetry, type AttemptParent } from "./attemptTelemetry.js";
import {
  CALL_SPAN_NAME,
  currentInstruments,
  GraphSyncAttributes,
  GraphSyncEvents,
  INSTRUMENTATION_NAME,
  serverOf,
  type Instruments,
  type Server,
} from "./instruments.js";

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

const tracer = trace.getTracer(INSTRUMENTATION_NAME, SDK_VERSION);

/** What a call's telemetry is made with: who the call is, and what it must never record. */
export interface CallTelemetryInit {
  /** What the call addresses: its kind and id are recorded on the call span and make the attempts' URL. */
  readonly target: ResolvedTarget;
  /** Recorded on the call span. */
  readonly apiVersion: GraphApiVersion;
  /** Recorded on the call span. */
  readonly cloud: CloudName;
  /** The versioned Graph URL; gives the server attributes and the full URL. */
  readonly graphUrl: string;
  /** Recorded (redacted) on the call and attempt spans. */
  readonly clientRequestId: string;
  /** Redacted from every attribute and event the call records. */
  readonly secrets: readonly string[];
}

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
  /** What the call's attempts need of it. */
  private readonly attemptParent: AttemptParent;

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
    this.attemptParent = {
      dormant: this.dormant,
      recording: this.recording,
      callSpan: this.span,
      callContext: this.callContext,
      server: this.server,
      urlTemplate: this.urlTemplate,
      // The action's URL has no query string; the id in its path is not a secret.
      urlFull: `${init.graphUrl}/${collection}/${init.target.id}/synchronization/acquireAccessToken`,
      clientRequestId: () => this.recordedClientRequestId ?? this.redact(init.clientRequestId),
      instruments: this.instruments,
      answered: (status, requestId) => {
        if (status !== undefined) this.lastStatus = status;
        if (requestId !== undefined) this.lastRequestId = this.redact(requestId);
        return this.lastRequestId;
      },
    };
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
    return new AttemptTelemetry(this.attemptParent, resendCount, requestInit);
  }

  /** A wait before resending: `retryAfterInMs` when Graph's Retry-After set it, `reason` a status or a failure reason. */
  retryWait(delayInMs: number, retryAfterInMs: number | undefined, reason: string, resendCount: number): void {
    if (!this.instruments.noop) this.instruments.retries.add(1, { [GraphSyncAttributes.retryReason]: reason, "server.address": this.server.address });
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
    if (this.instruments.noop) return;
    this.instruments.retryAfterWait.record(Math.max(0, waitedInMs) / 1000, { "server.address": this.server.address });
  }

  /** The credential gave a token, after `durationInMs`: an event on the call span. */
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
    if (this.instruments.noop) return;
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
