// Figure 2: cold start — a new process, the contender's import, a real login against the emulated
// Entra ID (for the contenders that authenticate) and one call, timed from spawn to answer; and
// the import time of each contender's package on its own.
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { CONTENDER_PACKAGES, CONTENDERS, type ContenderName } from "../contenders.ts";
import { benchScript, runNode } from "../processes.ts";
import { summarize, type Summary } from "../stats.ts";
import { makeJobs, type BenchTarget } from "../target.ts";

export interface ColdStartRow {
  contender: ContenderName;
  coldStartMs: Summary;
  importPackage?: string;
  importMs?: Summary;
}

export async function measureColdStart(target: BenchTarget, repeats: number, env: NodeJS.ProcessEnv): Promise<ColdStartRow[]> {
  const folder = await mkdtemp(path.join(tmpdir(), "graph-sync-cold-"));
  const coldStarts = new Map<ContenderName, number[]>(CONTENDERS.map((name) => [name, []]));
  const imports = new Map<ContenderName, number[]>(CONTENDERS.map((name) => [name, []]));
  try {
    for (let repeat = 0; repeat < repeats; repeat++) {
      for (const contender of CONTENDERS) {
        const [job] = await makeJobs(target, 1);
        const inputFile = path.join(folder, `${contender.replace(/\W/g, "_")}-${repeat}.json`);
        await writeFile(inputFile, JSON.stringify({ contender, setup: { graphOrigin: target.graphOrigin, graphHttpsOrigin: target.graphHttpsOrigin, auth: target.auth, concurrency: 1 }, job }));
        const started = performance.now();
        await runNode(benchScript("coldStart.ts"), [inputFile], env);
        coldStarts.get(contender)!.push(performance.now() - started);

        const packageName = CONTENDER_PACKAGES[contender];
        if (packageName) imports.get(contender)!.push(Number(await runNode(benchScript("importTime.ts"), [packageName], env)));
        process.stderr.write(`  cold start · ${contender} · run ${repeat + 1}/${repeats}\n`);
      }
    }
  } finally {
    await rm(folder, { recursive: true, force: true });
  }
  return CONTENDERS.map((contender) => {
    const packageName = CONTENDER_PACKAGES[contender];
    return {
      contender,
      coldStartMs: summarize(coldStarts.get(contender)!),
      ...(packageName ? { importPackage: packageName, importMs: summarize(imports.get(contender)!) } : {}),
    };
  });
}
