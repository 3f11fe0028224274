// Figure 6: what OpenTelemetry costs the SDK per call.
// - Off (no OpenTelemetry SDK registered, the default): the SDK's telemetry only meets the API's
//   no-ops. Its CPU per call is measured directly (src/tracingOffWorker.ts) and set against the
//   CPU of a whole SDK call from this figure's own runs.
// - On: the SDK in a process with the OpenTelemetry SDK registered (in-memory span exporter, a
//   metric reader: see createTracedSdkCall) against the SDK without, in figure 1's worker, taking
//   turns, against the minimal loopback server.
import { benchScript, runNode } from "../processes.ts";
import { summarize, type Summary } from "../stats.ts";
import type { BenchTarget } from "../target.ts";
import { measureClientCost, type ClientCostRow } from "./clientCost.ts";

export interface TracingCostPlan {
  repeats: number;
  warmupCalls: number;
  measuredCalls: number;
  /** Iterations of the tracing-off telemetry of one call, per repeat. */
  offIterations: number;
}

export interface TracingCostResult {
  /** Rows for `sdk` (tracing off) and `sdk+otel` (on), sequential calls. */
  rows: ClientCostRow[];
  /** CPU of the telemetry of one call with tracing off, in microseconds. */
  offCpuPerCallUs: Summary;
  /** That cost as a fraction of an SDK call's CPU (0.01 = 1 %). */
  offShareOfCall: number;
  /** CPU per call with tracing on minus off, in milliseconds, and on divided by off. */
  onExtraCpuPerCallMs: number;
  onRatio: number;
}

export async function measureTracingCost(target: BenchTarget, plan: TracingCostPlan): Promise<TracingCostResult> {
  const rows = await measureClientCost(target, { ...plan, concurrencies: [1], contenders: ["sdk", "sdk+otel"] });
  const off: number[] = [];
  for (let repeat = 0; repeat < plan.repeats; repeat++) {
    const output = JSON.parse(await runNode(benchScript("tracingOffWorker.ts"), [String(plan.offIterations)])) as { cpuPerCallUs: number };
    off.push(output.cpuPerCallUs);
    process.stderr.write(`  tracing off · telemetry of one call · run ${repeat + 1}/${plan.repeats}: ${output.cpuPerCallUs.toFixed(2)} µs\n`);
  }
  const sdkCpuMs = rows.find((row) => row.contender === "sdk")!.cpuPerCallMs.median;
  const tracedCpuMs = rows.find((row) => row.contender === "sdk+otel")!.cpuPerCallMs.median;
  const offCpuPerCallUs = summarize(off);
  return {
    rows,
    offCpuPerCallUs,
    offShareOfCall: offCpuPerCallUs.median / 1000 / sdkCpuMs,
    onExtraCpuPerCallMs: tracedCpuMs - sdkCpuMs,
    onRatio: tracedCpuMs / sdkCpuMs,
  };
}
