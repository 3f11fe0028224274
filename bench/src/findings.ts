// Plain sentences about where the SDK stands, computed from the numbers of this run, so the
// report says it outright when the SDK is not ahead of an alternative or is far from the floor.
import type { ContenderName } from "./contenders.ts";
import type { BenchResults } from "./report/markdown.ts";

const ALTERNATIVES: ContenderName[] = ["fetch", "graph-client", "kiota"];
const FAR_FROM_FLOOR = 2;

function compare(label: string, values: Partial<Record<ContenderName, number>>, unit: string): string | undefined {
  const sdk = values.sdk;
  const floor = values["node:http"];
  if (sdk === undefined || floor === undefined) return undefined;
  const ahead = ALTERNATIVES.filter((name) => values[name] !== undefined && values[name]! < sdk);
  const parts = [`${label}: sdk ${sdk.toFixed(unit === "KiB" ? 1 : 3)} ${unit} = ${(sdk / floor).toFixed(2)}× the floor`];
  if (ahead.length > 0) {
    parts.push(`behind ${ahead.map((name) => `${name} (${(sdk / values[name]!).toFixed(2)}× its cost)`).join(", ")}`);
  } else {
    parts.push("ahead of every alternative");
  }
  if (sdk / floor > FAR_FROM_FLOOR) parts.push(`more than ${FAR_FROM_FLOOR}× from the floor`);
  return parts.join("; ");
}

export function summarizeFindings(results: BenchResults): string[] {
  const findings: string[] = [];
  const keys = [...new Set(results.clientCost.map((row) => `${row.target}|${row.concurrency}`))];
  for (const key of keys) {
    const [target, concurrency] = key.split("|");
    const rows = results.clientCost.filter((row) => row.target === target && String(row.concurrency) === concurrency);
    const pick = (metric: "cpuPerCallMs" | "wallPerCallMs") =>
      Object.fromEntries(rows.map((row) => [row.contender, row[metric].median])) as Partial<Record<ContenderName, number>>;
    const cpu = compare(`CPU per call, ${target}, concurrency ${concurrency}`, pick("cpuPerCallMs"), "ms");
    const wall = compare(`wall time per call, ${target}, concurrency ${concurrency}`, pick("wallPerCallMs"), "ms");
    if (cpu) findings.push(cpu);
    if (wall) findings.push(wall);
  }
  const cold = compare(
    "cold start",
    Object.fromEntries(results.coldStart.map((row) => [row.contender, row.coldStartMs.median])),
    "ms",
  );
  if (cold) findings.push(cold);
  const bundle = compare(
    "bundle gzip (apps that authenticate with @azure/identity where the contender offers it)",
    Object.fromEntries(results.bundles.filter((row) => !row.app.endsWith("own-credential")).map((row) => [row.contender, row.gzipBytes / 1024])),
    "KiB",
  );
  if (bundle) findings.push(bundle);
  const ownCredential = (app: string) => results.bundles.find((row) => row.app === app)?.gzipBytes;
  const sdkOwn = ownCredential("sdk-own-credential");
  const kiotaOwn = ownCredential("kiota-own-credential");
  if (sdkOwn !== undefined && kiotaOwn !== undefined) {
    findings.push(
      `bundle gzip with a caller-supplied credential: sdk ${(sdkOwn / 1024).toFixed(1)} KiB = ${(sdkOwn / kiotaOwn).toFixed(2)}× Kiota's runtime alone (${(kiotaOwn / 1024).toFixed(1)} KiB)`,
    );
  }
  for (const row of results.throttling) {
    findings.push(
      `${row.scenario}, ${row.contender}: ${(row.wallMs / 1000).toFixed(2)} s for ${row.calls} calls ` +
        (row.minimumMs > 0 ? `(${(row.wallMs / row.minimumMs).toFixed(2)}× the least the limit allows)` : "(the limit was never reached)") +
        `, ${row.throttledResponses} × 429, ${row.failures} failed, ${row.tokenRequests} token request(s)`,
    );
  }
  const errorBodyRss = Object.fromEntries(results.errorBody.map((row) => [row.contender, row.peakRssGrowthMiB.median])) as Partial<
    Record<ContenderName, number>
  >;
  const sdkRss = errorBodyRss.sdk;
  if (sdkRss !== undefined && results.errorBody[0]) {
    const others = ALTERNATIVES.filter((name) => errorBodyRss[name] !== undefined)
      .map((name) => `${name} +${errorBodyRss[name]!.toFixed(0)} MiB`)
      .join(", ");
    findings.push(
      `a ${results.errorBody[0].bodyMiB} MiB error body: the sdk's process grows by ${sdkRss.toFixed(1)} MiB at its peak; ${others}`,
    );
  }
  return findings;
}
