// Figure 7: memory when an error body is huge. The server fails every measured call with a
// well-formed JSON error of many MiB; each contender handles it the way its users' code would
// (fetch reads the body, Kiota and the legacy client parse it into their error, the SDK keeps at
// most 1 MiB). Reports how far each client process grows: a client that reads the whole body
// holds it (and, parsing it, its string) at once.
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { CONTENDERS, type ContenderName } from "../contenders.ts";
import type { ErrorBodyWorkerInput, ErrorBodyWorkerOutput } from "../errorBodyWorker.ts";
import { benchScript, runNode, startChild } from "../processes.ts";
import { summarize, type Summary } from "../stats.ts";

export interface ErrorBodyPlan {
  bodyMiB: number;
  repeats: number;
  warmupCalls: number;
  measuredCalls: number;
  contenders?: readonly ContenderName[];
}

export interface ErrorBodyRow {
  contender: ContenderName;
  bodyMiB: number;
  peakRssGrowthMiB: Summary;
  peakHeapGrowthMiB: Summary;
  msPerCall: Summary;
  /** Calls that did not fail although the server answered 400: the contender missed the error. */
  unexpectedSuccesses: number;
}

// Must match errorBodyServer.ts (kept here too so importing the figure does not start a server).
const HUGE_ERROR_PRINCIPAL = "00000000-0000-0000-0000-00000000e404";
const WARMUP_PRINCIPAL = "7d3a2b7e-5f0f-4c59-9c1a-0b5b8d1e2f30";
const MiB = 1024 * 1024;

export async function measureErrorBody(plan: ErrorBodyPlan): Promise<ErrorBodyRow[]> {
  const contenders = plan.contenders ?? CONTENDERS;
  const server = await startChild(process.execPath, [benchScript("errorBodyServer.ts"), String(plan.bodyMiB)]);
  const folder = await mkdtemp(path.join(tmpdir(), "graph-sync-bench-"));
  const runs = new Map<ContenderName, ErrorBodyWorkerOutput[]>(contenders.map((name) => [name, []]));
  try {
    for (let repeat = 0; repeat < plan.repeats; repeat++) {
      for (const contender of contenders) {
        const input: ErrorBodyWorkerInput = {
          contender,
          setup: { graphOrigin: `http://127.0.0.1:${server.firstLine.trim()}`, auth: { kind: "static", token: "bench-static-token" }, concurrency: 1 },
          warmupPrincipal: WARMUP_PRINCIPAL,
          hugeErrorPrincipal: HUGE_ERROR_PRINCIPAL,
          warmupCalls: plan.warmupCalls,
          measuredCalls: plan.measuredCalls,
        };
        const inputFile = path.join(folder, `${contender.replace(/\W/g, "_")}-${repeat}.json`);
        await writeFile(inputFile, JSON.stringify(input));
        const output = JSON.parse(await runNode(benchScript("errorBodyWorker.ts"), [inputFile])) as ErrorBodyWorkerOutput;
        runs.get(contender)!.push(output);
        process.stderr.write(
          `  ${plan.bodyMiB} MiB error body · ${contender} · run ${repeat + 1}/${plan.repeats}: ` +
            `peak RSS +${(output.peakRssGrowthBytes / MiB).toFixed(1)} MiB, ${output.msPerCall.toFixed(0)} ms/call\n`,
        );
      }
    }
  } finally {
    await server.stop();
    await rm(folder, { recursive: true, force: true });
  }
  return [...runs].map(([contender, outputs]) => ({
    contender,
    bodyMiB: plan.bodyMiB,
    peakRssGrowthMiB: summarize(outputs.map((output) => output.peakRssGrowthBytes / MiB)),
    peakHeapGrowthMiB: summarize(outputs.map((output) => output.peakHeapGrowthBytes / MiB)),
    msPerCall: summarize(outputs.map((output) => output.msPerCall)),
    unexpectedSuccesses: outputs.reduce((sum, output) => sum + output.unexpectedSuccesses, 0),
  }));
}
