// npm run transport-choice — the SDK's transport, undici (public API) or node:http's keep-alive
// agents, measured side by side in ONE run (issue 18): CPU per call at concurrency 1, 16 and 64
// against the minimal server, cold start (spawn → import → first answered call, against the
// minimal server with a static token, so no login is timed), the bundle of a minimal app with a
// caller-supplied credential, and the transport's install size. Prints the figures; writes nothing.
//
// `sdk` is the SDK with its default transport (undici's Agent through undici's index);
// `sdk+node:http` the same SDK given a fetch-compatible function over node:http's keep-alive Agent
// (bounded per origin, abort wired through, body streamed: contenders.ts). `fetch` and `kiota`
// (Kiota's default FetchRequestAdapter) are the references of the goals.
import { execFileSync } from "node:child_process";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import type { WorkerContender } from "./contenders.ts";
import { bundleApp } from "./figures/bundle.ts";
import { measureClientCost } from "./figures/clientCost.ts";
import { benchScript, runNode, startMinimalServer } from "./processes.ts";
import { summarize } from "./stats.ts";
import { makeJobs, minimalServerTarget } from "./target.ts";

const COLD_START_REPEATS = 7;
const contenders: WorkerContender[] = ["fetch", "kiota", "sdk", "sdk+node:http"];

const server = await startMinimalServer();
try {
  const target = minimalServerTarget(server.origin);
  console.log("## CPU per call against the minimal server (median of 3 repeats, 1,000 calls each)");
  const rows = await measureClientCost(target, { concurrencies: [1, 16, 64], repeats: 3, warmupCalls: 300, measuredCalls: 1_000, contenders: contenders as never });
  for (const concurrency of [1, 16, 64]) {
    const at = rows.filter((row) => row.concurrency === concurrency);
    const fetchCpu = at.find((row) => row.contender === "fetch")!.cpuPerCallMs.median;
    for (const row of at) {
      console.log(`c=${concurrency} · ${row.contender}: CPU ${row.cpuPerCallMs.median.toFixed(3)} ms/call = ${(row.cpuPerCallMs.median / fetchCpu).toFixed(2)}× fetch; ${row.failures} failed`);
    }
  }

  console.log(`\n## Cold start: spawn → first answered call (median of ${COLD_START_REPEATS}, contenders in turn)`);
  const folder = await mkdtemp(path.join(tmpdir(), "graph-sync-transport-"));
  const coldStarts = new Map<WorkerContender, number[]>(contenders.map((name) => [name, []]));
  try {
    for (let repeat = 0; repeat < COLD_START_REPEATS; repeat++) {
      for (const contender of contenders) {
        const [job] = await makeJobs(target, 1);
        const inputFile = path.join(folder, `${contender.replace(/\W/g, "_")}-${repeat}.json`);
        await writeFile(inputFile, JSON.stringify({ contender, setup: { graphOrigin: target.graphOrigin, auth: target.auth, concurrency: 1 }, job }));
        const started = performance.now();
        await runNode(benchScript("coldStart.ts"), [inputFile]);
        coldStarts.get(contender)!.push(performance.now() - started);
      }
    }
  } finally {
    await rm(folder, { recursive: true, force: true });
  }
  const kiotaCold = summarize(coldStarts.get("kiota")!).median;
  for (const contender of contenders) {
    const summary = summarize(coldStarts.get(contender)!);
    console.log(`${contender}: ${summary.median.toFixed(0)} ms (${(summary.median / kiotaCold).toFixed(2)}× kiota)`);
  }

  console.log("\n## Bundle: esbuild --bundle --minify of a minimal app with a caller-supplied credential");
  const bundle = async (app: string, external: string[] = []) => {
    const { bytes, gzipBytes } = await bundleApp(app, external);
    return { bytes, gzip: gzipBytes };
  };
  const kiotaRuntime = await bundle("kiota-own-credential");
  const sdkUndici = await bundle("sdk-own-credential");
  // The SDK without undici in the bundle: what it weighs over node:http (whose agents are Node's own).
  const sdkWithoutUndici = await bundle("sdk-own-credential", ["undici"]);
  const kib = (bytes: number) => `${(bytes / 1024).toFixed(1)} KiB`;
  console.log(`kiota runtime alone: ${kib(kiotaRuntime.bytes)}, ${kib(kiotaRuntime.gzip)} gzip`);
  console.log(`sdk over undici: ${kib(sdkUndici.bytes)}, ${kib(sdkUndici.gzip)} gzip = ${(sdkUndici.gzip / kiotaRuntime.gzip).toFixed(2)}× kiota`);
  console.log(`sdk over node:http (undici left out): ${kib(sdkWithoutUndici.bytes)}, ${kib(sdkWithoutUndici.gzip)} gzip = ${(sdkWithoutUndici.gzip / kiotaRuntime.gzip).toFixed(2)}× kiota`);

  console.log("\n## Install size of the transport");
  const undiciFolder = path.dirname(fileURLToPath(import.meta.resolve("undici/package.json")));
  const undiciKiB = Number(execFileSync("du", ["-sk", undiciFolder], { encoding: "utf8" }).split("\t")[0]);
  console.log(`undici: ${undiciKiB} KiB on disk (one package, no dependencies); node:http: 0 (built into Node)`);
} finally {
  await server.stop();
}
