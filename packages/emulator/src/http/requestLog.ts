import type { IncomingMessage, ServerResponse } from "node:http";
import type { EmulatorClock } from "../clock.js";
import type { EmulatorLogger } from "../logger.js";

/** Which of the emulator's hosts served a request. */
export type ServedArea = "graph" | "login" | "target";

/**
 * One request as the admin API reports it (`GET /requests`). Deliberately without bodies, query
 * strings or headers other than the correlation ids (and W3C `traceparent`): those are where
 * secrets travel.
 */
export interface RequestLogEntry {
  sequence: number;
  time: string;
  area: ServedArea;
  method: string;
  path: string;
  /** `null` when no response was sent (connection reset, stalled, or client gone). */
  status: number | null;
  durationMs: number;
  requestId?: string;
  clientRequestId?: string;
  /**
   * The request's W3C `traceparent` (`00-<trace id>-<span id>-<flags>`), when it sent a well-formed
   * one: ties a client's span to the request served here.
   */
  traceparent?: string;
  tenantId?: string;
  appId?: string;
  /** Graph error code or Entra/OAuth `error` of an error response. */
  errorCode?: string;
  /** The injected fault, if one was. */
  fault?: string;
  throttled?: boolean;
}

/** Facts a handler learns while serving a request, attached to it for the log entry. */
export type RequestAnnotations = Partial<
  Pick<RequestLogEntry, "requestId" | "clientRequestId" | "tenantId" | "appId" | "errorCode" | "fault" | "throttled">
>;

const annotationsByRequest = new WeakMap<IncomingMessage, RequestAnnotations>();

/** Records facts about `request` for its log entry. */
export function annotateRequest(request: IncomingMessage, annotations: RequestAnnotations): void {
  annotationsByRequest.set(request, { ...annotationsByRequest.get(request), ...annotations });
}

/** The most recent requests, bounded so a long run does not grow without limit. */
export class RequestLog {
  private readonly entries: RequestLogEntry[] = [];
  private sequence = 0;

  constructor(private readonly capacity: number) {}

  append(entry: Omit<RequestLogEntry, "sequence">): void {
    this.sequence += 1;
    this.entries.push({ sequence: this.sequence, ...entry });
    if (this.entries.length > this.capacity) this.entries.splice(0, this.entries.length - this.capacity);
  }

  /** Entries oldest first; `limit` keeps the newest ones. */
  list(limit?: number): RequestLogEntry[] {
    const selected = limit === undefined ? this.entries : this.entries.slice(-limit);
    return selected.map((entry) => ({ ...entry }));
  }

  clear(): void {
    this.entries.length = 0;
  }
}

type Handler = (request: IncomingMessage, response: ServerResponse) => void;

/**
 * Wraps a request handler so that every request, however it ends, lands in the log and in one
 * log line.
 */
export function recordingRequests(
  area: ServedArea,
  handler: Handler,
  dependencies: { requestLog: RequestLog; logger: EmulatorLogger; clock: EmulatorClock },
): Handler {
  const { requestLog, logger, clock } = dependencies;
  return (request, response) => {
    const startedAt = clock();
    // Durations use the monotonic timer: the injected clock may be a test's fake one.
    const startedAtMonotonic = performance.now();
    const path = pathOf(request.url);
    response.once("close", () => {
      const annotations = annotationsByRequest.get(request) ?? {};
      const status = response.headersSent ? response.statusCode : null;
      const entry: Omit<RequestLogEntry, "sequence"> = {
        time: new Date(startedAt).toISOString(),
        area,
        method: request.method ?? "",
        path,
        status,
        durationMs: Math.round((performance.now() - startedAtMonotonic) * 10) / 10,
        ...traceparentOf(request),
        ...annotations,
      };
      requestLog.append(entry);
      const details = [
        annotations.errorCode && `error=${annotations.errorCode}`,
        annotations.fault && `fault=${annotations.fault}`,
        annotations.requestId && `request-id=${annotations.requestId}`,
      ].filter(Boolean);
      logger(`${area} ${entry.method} ${path} ${status ?? "-"} ${entry.durationMs}ms${details.length ? ` ${details.join(" ")}` : ""}`);
    });
    handler(request, response);
  };
}

/** W3C trace context: version, trace id, parent (span) id, flags; anything else is not echoed. */
const TRACEPARENT = /^[0-9a-f]{2}-[0-9a-f]{32}-[0-9a-f]{16}-[0-9a-f]{2}$/;

function traceparentOf(request: IncomingMessage): { traceparent?: string } {
  const value = request.headers.traceparent;
  return typeof value === "string" && TRACEPARENT.test(value) ? { traceparent: value } : {};
}

/** The path without the query string (which can carry codes and client ids). */
function pathOf(url: string | undefined): string {
  const path = (url ?? "").split("?", 1)[0] ?? "";
  // Bound what a hostile client can make us store.
  return path.length > 512 ? `${path.slice(0, 512)}…` : path;
}
