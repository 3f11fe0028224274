import type { CliOutput } from "./cliIo.js";

/** What `--trace` needs of a finished span (the OpenTelemetry SDK's ReadableSpan). */
interface FinishedSpan {
  readonly name: string;
  readonly kind: number;
  spanContext(): { traceId: string; spanId: string };
  readonly parentSpanContext?: { spanId: string } | undefined;
  readonly startTime: readonly [number, number];
  readonly duration: readonly [number, number];
  readonly status: { code: number; message?: string | undefined };
  readonly attributes: Readonly<Record<string, unknown>>;
  readonly events: ReadonlyArray<{ name: string; time: readonly [number, number]; attributes?: Readonly<Record<string, unknown>> | undefined }>;
}

export interface CliTracing {
  /** Prints the span tree of the run to stderr (through CliOutput, so redacted), then stops tracing. */
  finish(output: CliOutput): Promise<void>;
}

/**
 * `--trace`: registers the OpenTelemetry SDK's tracer provider for this process, keeping spans in
 * memory, so that the SDK's call and attempt spans can be printed as a tree for a support ticket.
 * Loaded only with --trace.
 */
export async function startCliTracing(): Promise<CliTracing> {
  const [{ trace }, { InMemorySpanExporter, SimpleSpanProcessor, TracerProvider }] = await Promise.all([
    import("@opentelemetry/api"),
    import("@opentelemetry/sdk-trace"),
  ]);
  const exporter = new InMemorySpanExporter();
  const provider = new TracerProvider({ spanProcessors: [new SimpleSpanProcessor({ exporter })] });
  trace.setGlobalTracerProvider(provider);
  return {
    async finish(output) {
      await provider.forceFlush();
      for (const line of renderSpanTree(exporter.getFinishedSpans())) output.err(line);
      await provider.shutdown();
      trace.disable();
    },
  };
}

const KIND_NAMES = ["INTERNAL", "SERVER", "CLIENT", "PRODUCER", "CONSUMER"];
const STATUS_NAMES = ["UNSET", "OK", "ERROR"];

/** The spans as an indented tree, children in start order; events at their offset from the span's start. */
export function renderSpanTree(spans: readonly FinishedSpan[]): string[] {
  const ids = new Set(spans.map((span) => span.spanContext().spanId));
  const children = new Map<string | undefined, FinishedSpan[]>();
  for (const span of spans) {
    const parent = span.parentSpanContext?.spanId;
    const key = parent !== undefined && ids.has(parent) ? parent : undefined;
    children.set(key, [...(children.get(key) ?? []), span]);
  }
  for (const list of children.values()) list.sort((a, b) => toMs(a.startTime) - toMs(b.startTime));
  const lines: string[] = [];
  const roots = children.get(undefined) ?? [];
  if (roots.length === 0) return ["trace: no spans were recorded"];
  const visit = (span: FinishedSpan, depth: number): void => {
    const indent = "  ".repeat(depth);
    const status = STATUS_NAMES[span.status.code] ?? String(span.status.code);
    lines.push(
      `${indent}${depth === 0 ? "" : "└ "}${span.name} · ${KIND_NAMES[span.kind] ?? span.kind} · ${formatMs(toMs(span.duration))} · ${status}${span.status.message ? ` ${span.status.message}` : ""}`,
    );
    const attributes = formatAttributes(span.attributes);
    if (attributes) lines.push(`${indent}    ${attributes}`);
    for (const event of span.events) {
      const details = formatAttributes(event.attributes ?? {});
      lines.push(`${indent}    @+${formatMs(toMs(event.time) - toMs(span.startTime))} ${event.name}${details ? ` ${details}` : ""}`);
    }
    for (const child of children.get(span.spanContext().spanId) ?? []) visit(child, depth + 1);
  };
  for (const root of roots) {
    lines.push(`trace ${root.spanContext().traceId}`);
    visit(root, 0);
  }
  return lines;
}

function formatAttributes(attributes: Readonly<Record<string, unknown>>): string {
  return Object.entries(attributes)
    .map(([key, value]) => `${key}=${Array.isArray(value) ? value.join(",") : String(value)}`)
    .join(" ");
}

function toMs([seconds, nanoseconds]: readonly [number, number]): number {
  return seconds * 1000 + nanoseconds / 1e6;
}

function formatMs(ms: number): string {
  return `${Math.max(0, ms).toFixed(1)} ms`;
}
