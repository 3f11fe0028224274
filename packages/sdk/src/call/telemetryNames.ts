// The names the SDK's telemetry uses: its instrumentation scope, span, attribute, event and metric
// names. Part of what users query in their tracing backends, so they change only on purpose.

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
