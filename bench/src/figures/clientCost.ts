// Figure 1: what each contender costs per call — wall time, client-process CPU and p99 latency —
// sequentially and at concurrency 16 and 64. Contenders take turns within each repeat, so a slow
// patch of the machine hits them all alike.
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { CONTENDERS, type WorkerContender } from "../contenders.ts";
import { benchScript, runNode } from "../processes.ts";
import { summarize, type Summary } from "../stats.ts";
import { makeJobs, type BenchTarget } from "../target.ts";
import type { WorkerInput, WorkerOutput } from "../worker.ts";

export interface ClientCostPlan {
  concurrencies: number[];
  repeats: number;
  warmupCalls: number;
  measuredCalls: number;
  contenders?: readonly WorkerContender[];
}

export interface ClientCostRow {
  target: string;
  contender: WorkerContender;
  concurrency: number;
  wallPerCallMs: Summary;
  cpuPerCallMs: Summary;
  p99Ms: Summary;
  callsPerSecond: Summary;
  failures: number;
  firstFailure?: string;
}

export async function measureClientCost(target: BenchTarget, plan: ClientCostPlan, env: NodeJS.ProcessEnv = {}): Promise<ClientCostRow[]> {
  const contenders = plan.contenders ?? CONTENDERS;
  const folder = await mkdtemp(path.join(tmpdir(), "graph-sync-bench-"));
  const rows: ClientCostRow[] = [];
  try {
    for (const concurrency of plan.concurrencies) {
      const runs = new Map<WorkerContender, WorkerOutput[]>(contenders.map((name) => [name, []]));
      for (let repeat = 0; repeat < plan.repeats; repeat++) {
        for (const contender of contenders) {
          const input: WorkerInput = {
            contender,
            setup: { graphOrigin: target.graphOrigin, graphHttpsOrigin: target.graphHttpsOrigin, auth: target.auth, concurrency },
            warmup: await makeJobs(target, plan.warmupCalls),
            measured: await makeJobs(target, plan.measuredCalls),
          };
          const inputFile = path.join(folder, `${contender.replace(/\W/g, "_")}-${concurrency}-${repeat}.json`);
          await writeFile(inputFile, JSON.stringify(input));
          const output = JSON.parse(await runNode(benchScript("worker.ts"), [inputFile], env)) as WorkerOutput;
          runs.get(contender)!.push(output);
          process.stderr.write(`  ${target.name} · ${contender} · c=${concurrency} · run ${repeat + 1}/${plan.repeats}: ` +
            `${(output.wallMs / output.calls).toFixed(3)} ms/call, ${output.failures} failed\n`);
        }
      }
      for (const [contender, outputs] of runs) {
        const firstFailure = outputs.find((output) => output.firstFailure)?.firstFailure;
        rows.push({
          target: target.name,
          contender,
          concurrency,
          wallPerCallMs: summarize(outputs.map((output) => output.wallMs / output.calls)),
          cpuPerCallMs: summarize(outputs.map((output) => output.cpuMs / output.calls)),
          p99Ms: summarize(outputs.map((output) => output.p99Ms)),
          callsPerSecond: summarize(outputs.map((output) => (output.calls / output.wallMs) * 1000)),
          failures: outputs.reduce((sum, output) => sum + output.failures, 0),
          ...(firstFailure ? { firstFailure } : {}),
        });
      }
    }
  } finally {
    await rm(folder, { recursive: true, force: true });
  }
  return rows;
}
