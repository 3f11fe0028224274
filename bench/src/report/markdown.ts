// The results as Markdown: one table per figure, ratios to the floor (node:http) and to fetch
// side by side, each median with its spread.
import type { Environment } from "../environment.ts";
import type { BundleRow } from "../figures/bundle.ts";
import type { ClientCostRow } from "../figures/clientCost.ts";
import type { ColdStartRow } from "../figures/coldStart.ts";
import type { ErrorBodyRow } from "../figures/errorBody.ts";
import type { ThrottlingRow } from "../figures/throttling.ts";
import type { TracingCostResult } from "../figures/tracingCost.ts";
import { formatBytes, formatMs, formatRatio, formatSummary } from "./format.ts";

export interface BenchResults {
  mode: "full" | "quick";
  environment: Environment;
  clientCost: ClientCostRow[];
  coldStart: ColdStartRow[];
  bundles: BundleRow[];
  throttling: ThrottlingRow[];
  tracingCost: TracingCostResult;
  errorBody: ErrorBodyRow[];
  findings: string[];
}

const table = (header: string[], rows: string[][]) =>
  [`| ${header.join(" | ")} |`, `|${header.map(() => "---").join("|")}|`, ...rows.map((row) => `| ${row.join(" | ")} |`)].join("\n");

function clientCostSection(rows: ClientCostRow[]): string {
  const sections: string[] = [];
  const groups = new Map<string, ClientCostRow[]>();
  for (const row of rows) {
    const key = `${row.target} · concurrency ${row.concurrency}`;
    groups.set(key, [...(groups.get(key) ?? []), row]);
  }
  for (const [title, group] of groups) {
    const floor = group.find((row) => row.contender === "node:http");
    const fetchRow = group.find((row) => row.contender === "fetch");
    sections.push(
      `#### ${title}\n\n` +
        table(
          ["contender", "wall ms/call", "× floor", "× fetch", "CPU ms/call", "× floor", "× fetch", "p99 ms", "failures"],
          group.map((row) => [
            row.contender,
            formatSummary(row.wallPerCallMs),
            formatRatio(row.wallPerCallMs.median, floor?.wallPerCallMs.median ?? Number.NaN),
            formatRatio(row.wallPerCallMs.median, fetchRow?.wallPerCallMs.median ?? Number.NaN),
            formatSummary(row.cpuPerCallMs),
            formatRatio(row.cpuPerCallMs.median, floor?.cpuPerCallMs.median ?? Number.NaN),
            formatRatio(row.cpuPerCallMs.median, fetchRow?.cpuPerCallMs.median ?? Number.NaN),
            formatSummary(row.p99Ms),
            String(row.failures),
          ]),
        ),
    );
  }
  return sections.join("\n\n");
}

function coldStartSection(rows: ColdStartRow[]): string {
  const floor = rows.find((row) => row.contender === "node:http")?.coldStartMs.median ?? Number.NaN;
  const fetchMs = rows.find((row) => row.contender === "fetch")?.coldStartMs.median ?? Number.NaN;
  return table(
    ["contender", "spawn → first answer (ms)", "× floor", "× fetch", "package", "import alone (ms)"],
    rows.map((row) => [
      row.contender,
      formatSummary(row.coldStartMs),
      formatRatio(row.coldStartMs.median, floor),
      formatRatio(row.coldStartMs.median, fetchMs),
      row.importPackage ?? "(built in)",
      row.importMs ? formatSummary(row.importMs) : "–",
    ]),
  );
}

function bundleSection(rows: BundleRow[]): string {
  const floor = rows.find((row) => row.contender === "node:http")?.gzipBytes ?? Number.NaN;
  const fetchBytes = rows.find((row) => row.contender === "fetch")?.gzipBytes ?? Number.NaN;
  return table(
    ["minimal app", "contender", "bundle", "gzip", "gzip × floor", "gzip × fetch"],
    rows.map((row) => [
      `${row.app} (${row.note})`,
      row.contender,
      formatBytes(row.bytes),
      formatBytes(row.gzipBytes),
      formatRatio(row.gzipBytes, floor),
      formatRatio(row.gzipBytes, fetchBytes),
    ]),
  );
}

function emulatorSection(rows: ClientCostRow[]): string {
  const floorOnEmulator = rows.filter((row) => row.target === "emulator" && row.contender === "node:http");
  return table(
    ["concurrency", "requests/s", "p99 ms"],
    floorOnEmulator.map((row) => [String(row.concurrency), formatSummary(row.callsPerSecond), formatSummary(row.p99Ms)]),
  );
}

export function tracingCostSection(result: TracingCostResult): string {
  const off = result.rows.find((row) => row.contender === "sdk");
  return (
    table(
      ["variant", "CPU ms/call", "× tracing off", "wall ms/call", "p99 ms", "failures"],
      result.rows.map((row) => [
        row.contender === "sdk" ? "sdk, tracing off (no OpenTelemetry SDK)" : "sdk, tracing on (OpenTelemetry SDK, in-memory exporter)",
        formatSummary(row.cpuPerCallMs),
        formatRatio(row.cpuPerCallMs.median, off?.cpuPerCallMs.median ?? Number.NaN),
        formatSummary(row.wallPerCallMs),
        formatSummary(row.p99Ms),
        String(row.failures),
      ]),
    ) +
    `\n\nTracing off, measured directly: the SDK's telemetry costs ${result.offCpuPerCallUs.median.toFixed(2)} µs ` +
    `±${(result.offCpuPerCallUs.spread * 100).toFixed(0)}% of CPU per call, ${(result.offShareOfCall * 100).toFixed(2)} % of an SDK call. ` +
    `Tracing on adds ${(result.onExtraCpuPerCallMs * 1000).toFixed(0)} µs per call (${result.onRatio.toFixed(2)}× the CPU).`
  );
}

export function errorBodySection(rows: ErrorBodyRow[]): string {
  const fetchRss = rows.find((row) => row.contender === "fetch")?.peakRssGrowthMiB.median ?? Number.NaN;
  return table(
    ["contender", "error body", "peak RSS growth, MiB", "× fetch", "peak heap + buffers growth, MiB", "ms/call", "calls that did not fail"],
    rows.map((row) => [
      row.contender,
      `${row.bodyMiB} MiB`,
      formatSummary(row.peakRssGrowthMiB),
      formatRatio(row.peakRssGrowthMiB.median, fetchRss),
      formatSummary(row.peakHeapGrowthMiB),
      formatSummary(row.msPerCall),
      String(row.unexpectedSuccesses),
    ]),
  );
}

function throttlingSection(rows: ThrottlingRow[]): string {
  return table(
    ["scenario", "contender", "wall s", "least the limit allows, s", "× least", "429s received", "429s per call", "failures", "token requests"],
    rows.map((row) => [
      row.scenario,
      row.contender,
      (row.wallMs / 1000).toFixed(2),
      (row.minimumMs / 1000).toFixed(2),
      row.minimumMs > 0 ? formatRatio(row.wallMs, row.minimumMs) : "limit not reached",
      String(row.throttledResponses),
      `${((row.throttledResponses / row.calls) * 100).toFixed(1)} %`,
      String(row.failures),
      String(row.tokenRequests),
    ]),
  );
}

export function renderMarkdown(results: BenchResults, chartFile: string): string {
  const { environment } = results;
  return `# graph-sync benchmarks (${results.mode} run)

Measured ${environment.date} on ${environment.cpu} (${environment.cores} cores, ${environment.memoryGiB} GiB),
${environment.platform}, Node ${environment.node}. Every figure comes from this one run; compare the
ratios, not the absolute times, across machines. Each value is the median of repeated runs with its
spread (median absolute deviation relative to the median).

Packages: ${Object.entries(environment.packages).map(([name, version]) => `\`${name}@${version}\``).join(", ")}.

![ratios to the floor](${chartFile})

## What the figures say

${results.findings.map((finding) => `- ${finding}`).join("\n")}

## 1. Client cost per call

Wall time per call (for concurrency > 1: wall time of the whole run divided by the calls), CPU of
the client process per call, and p99 latency. Contenders: node:http with a keep-alive agent (the
floor), global fetch, \`@microsoft/microsoft-graph-client\`, Kiota's default \`FetchRequestAdapter\`
with our generated client (\`kiota+undici\`: its HttpClient over an undici Pool), and
\`@graph-sync/sdk\` over its own undici transport (\`sdk+fetch\`: given the global fetch;
\`sdk+node:http\`, against the minimal server only: given a fetch-compatible function over
node:http's keep-alive Agent, the alternative to undici). Each contender runs in a fresh process
after a warm-up.

${clientCostSection(results.clientCost)}

## 2. Cold start

${coldStartSection(results.coldStart)}

## 3. Bundle size (esbuild --bundle --minify --platform=node)

${bundleSection(results.bundles)}

## 4. Emulator throughput (throttling off, driven by the node:http floor client)

${emulatorSection(results.clientCost)}

## 5. Under throttling

${throttlingSection(results.throttling)}

## 6. OpenTelemetry: tracing off and on

Sequential calls against the minimal loopback server. Off is the default (no OpenTelemetry SDK
registered: the API's no-ops); on registers the OpenTelemetry SDK with an AsyncLocalStorage
context manager, an in-memory span exporter and a metric reader.

${tracingCostSection(results.tracingCost)}

## 7. Memory when an error body is huge

The server fails each measured call with HTTP 400 and a well-formed JSON error body of
${results.errorBody[0]?.bodyMiB ?? "?"} MiB (sent with its Content-Length); each contender handles it as its users' code would
(\`fetch\` reads the body, Kiota and the legacy client parse it into their error, the SDK keeps at
most 1 MiB and closes the connection). Sequential calls in a fresh process after a warm-up; growth
is measured from just before the failing calls (RSS: the kernel's high-water mark; heap: sampled
every millisecond, so a top reached inside one synchronous parse can be missed). The \`node:http\`
floor discards the body unread.

${errorBodySection(results.errorBody)}
`;
}
