import { context as otelContext, propagation, SpanKind, SpanStatusCode, trace, type Attributes, type Context, type Span, type TextMapSetter } from "@opentelemetry/api";
import { setRequestHeader, type FetchRequestInit } from "@microsoft/kiota-http-fetchlibrary";
import { SDK_VERSION } from "../constants.js";
import type { AttemptFailureReason } from "../failures/noAnswer.js";
import { GraphSyncAttributes, INSTRUMENTATION_NAME, type Instruments, type Server } from "./instruments.js";

const tracer = trace.getTracer(INSTRUMENTATION_NAME, SDK_VERSION);

/** Kiota's adapter builds the RequestInit with its headers as a plain object, which Kiota's helper writes. */
const requestInitSetter: TextMapSetter<RequestInit> = { set: (carrier, key, value) => setRequestHeader(carrier as FetchRequestInit, key, value) };

/** What an attempt's telemetry needs of its call's (telemetry.ts). */
export interface AttemptParent {
  /** No trace at all: the attempt gets no span and no context of its own. */
  readonly dormant: boolean;
  /** An OpenTelemetry SDK records the call span. */
  readonly recording: boolean;
  /** The call's span, which the attempt's span is a child of. */
  readonly callSpan: Span;
  /** The caller's context with the call span: the attempt's parent. */
  readonly callContext: Context;
  /** Graph's address, for the attempt span's server attributes and the duration metric. */
  readonly server: Server;
  /** `url.template`: the request's path with `{id}` for the target's id. */
  readonly urlTemplate: string;
  /** `url.full`: the URL requests go to. */
  readonly urlFull: string;
  /** The client-request-id as recorded (redacted). */
  clientRequestId(): string;
  /** The metric instruments the attempt records to. */
  readonly instruments: Instruments;
  /** Tells the call of an answer's status and request-id; returns the request-id as recorded (redacted). */
  answered(status: number | undefined, requestId: string | undefined): string | undefined;
}

/**
 * One HTTP attempt's span (a child of the call span, named `POST <url template>`) and its
 * http.client.request.duration; its `traceparent` goes on the request. See telemetry.ts for what
 * is recorded and why.
 */
export class AttemptTelemetry {
  private readonly span: Span;
  private readonly context: Context;
  private readonly startedAt = performance.now();
  /** An attempt is measured once. */
  private ended = false;

  constructor(
    private readonly parent: AttemptParent,
    resendCount: number,
    requestInit: RequestInit,
  ) {
    if (parent.dormant) {
      this.span = parent.callSpan;
      this.context = parent.callContext;
      // Still through the propagator: one may carry something other than the trace (baggage).
      propagation.inject(parent.callContext, requestInit, requestInitSetter);
      return;
    }
    this.span = tracer.startSpan(`POST ${parent.urlTemplate}`, { kind: SpanKind.CLIENT }, parent.callContext);
    this.context = trace.setSpan(parent.callContext, this.span);
    if (this.span.isRecording()) {
      this.span.setAttributes({
        "http.request.method": "POST",
        "server.address": parent.server.address,
        "server.port": parent.server.port,
        "url.scheme": parent.server.scheme,
        "url.template": parent.urlTemplate,
        "url.full": parent.urlFull,
        [GraphSyncAttributes.clientRequestId]: parent.clientRequestId(),
      });
      if (resendCount > 0) this.span.setAttribute("http.request.resend_count", resendCount);
    }
    // A propagator (W3C trace context, usually) adds traceparent; with none registered, nothing.
    propagation.inject(this.context, requestInit, requestInitSetter);
  }

  /** Runs the attempt's fetch in its span's context, so HTTP instrumentation (undici) nests under it. */
  run<T>(fetch: () => Promise<T>): Promise<T> {
    return this.parent.recording ? otelContext.with(this.context, fetch) : fetch();
  }

  /** Ends an attempt that got an answer (`status`) or none (`failure`). */
  end(status: number | undefined, headers: Headers | undefined, failure?: AttemptFailureReason): void {
    if (this.ended) return;
    this.ended = true;
    const { server, instruments } = this.parent;
    const errorType = failure ?? (status !== undefined && status >= 400 ? String(status) : undefined);
    if (!instruments.noop) {
      const metricAttributes: Attributes = { "http.request.method": "POST", "server.address": server.address, "server.port": server.port };
      if (status !== undefined) metricAttributes["http.response.status_code"] = status;
      if (errorType !== undefined) metricAttributes["error.type"] = errorType;
      instruments.requestDuration.record((performance.now() - this.startedAt) / 1000, metricAttributes);
      if (status === 429) instruments.throttled.add(1, { "server.address": server.address });
    }
    if (!this.span.isRecording()) {
      this.parent.answered(status, undefined);
      this.span.end();
      return;
    }
    const requestId = headers?.get("request-id") ?? undefined;
    const recordedRequestId = this.parent.answered(status, requestId);
    if (status !== undefined) this.span.setAttribute("http.response.status_code", status);
    if (recordedRequestId !== undefined && requestId !== undefined) this.span.setAttribute(GraphSyncAttributes.requestId, recordedRequestId);
    if (errorType !== undefined) {
      this.span.setAttribute("error.type", errorType);
      this.span.setStatus({ code: SpanStatusCode.ERROR, message: errorType });
    }
    this.span.end();
  }
}
