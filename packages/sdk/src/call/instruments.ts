// The SDK's telemetry names (its instrumentation scope, span, attribute, event and metric names:
// part of what users query in their tracing backends, so they change only on purpose), its
// OpenTelemetry metric instruments (looked up per call, rebuilt only when the global MeterProvider
// changes) and Graph's address as the semantic conventions record it.
import { createNoopMeter, metrics, type Counter, type Histogram, type MeterProvider } from "@opentelemetry/api";
import { SDK_VERSION } from "../constants.js";

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

/** The semantic convention's advice for http.client.request.duration, in seconds. */
const DURATION_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1, 2.5, 5, 7.5, 10];
const WAIT_BUCKETS = [0.1, 0.5, 1, 2, 5, 10, 30, 60, 120];

/** The SDK's instruments on one meter. */
export class Instruments {
  /** `http.client.request.duration`: one HTTP attempt, in seconds. */
  readonly requestDuration: Histogram;
  /** acquireAccessToken calls, counted by outcome. */
  readonly calls: Counter;
  /** 429 answers from Graph. */
  readonly throttled: Counter;
  /** Attempts resent after a retryable failure. */
  readonly retries: Counter;
  /** Time spent waiting because Graph's Retry-After asked for it, in seconds. */
  readonly retryAfterWait: Histogram;
  /**
   * True when no OpenTelemetry SDK records metrics (the API's no-op instruments): then callers
   * skip building the attributes a no-op would throw away.
   */
  readonly noop: boolean;

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
    // The API's no-op meter hands out one constant instrument of each kind (since api 1.3.0).
    this.noop = this.calls === noopMeter.createCounter(MetricNames.calls) && this.requestDuration === noopMeter.createHistogram(MetricNames.requestDuration);
  }
}

const noopMeter = createNoopMeter();

/**
 * The meter API has no proxy (a meter taken before an SDK registers stays a no-op), so the
 * instruments are looked up per call and rebuilt only when the global MeterProvider changed.
 */
let instruments: { provider: MeterProvider; set: Instruments } | undefined;

/** The instruments of the current global MeterProvider. */
export function currentInstruments(): Instruments {
  const provider = metrics.getMeterProvider();
  if (instruments?.provider !== provider) instruments = { provider, set: new Instruments(provider) };
  return instruments.set;
}

/** Graph's address as the semantic conventions record it. */
export interface Server {
  /** `server.address`: the Graph URL's host name, without the port. */
  readonly address: string;
  /** `server.port`: the URL's port, or the scheme's default (443, 80) when it names none. */
  readonly port: number;
  /** `url.scheme`: `https`, or `http` for a loopback emulator. */
  readonly scheme: string;
  /** The versioned path of the Graph URL, for example `/v1.0`. */
  readonly basePath: string;
}

/** Graph URLs seen (a handful per process), parsed once each. */
const servers = new Map<string, Server>();
const MAX_SERVERS = 32;

/** The server of a Graph URL, parsed once per URL. */
export function serverOf(graphUrl: string): Server {
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
