// One measured run of one contender, in a process of its own so that contenders never share a
// JIT, a heap or a connection pool. Input: a JSON file (argv[2]); output: one JSON line on stdout.
import { readFile } from "node:fs/promises";
import { createContenderCall, type ContenderSetup, type WorkerContender } from "./contenders.ts";
import { runLoad, type Job } from "./load.ts";
import { quantile } from "./stats.ts";

export interface WorkerInput {
  contender: WorkerContender;
  setup: ContenderSetup;
  warmup: Job[];
  measured: Job[];
  /**
   * When several workers make one load together (several processes of one application): the
   * moment (epoch ms) they all start the measured calls, after each has started and warmed up.
   */
  startAtEpochMs?: number;
}

export interface WorkerOutput {
  wallMs: number;
  cpuMs: number;
  calls: number;
  failures: number;
  firstFailure?: string;
  p50Ms: number;
  p99Ms: number;
  /** When the measured calls began and ended (epoch ms), to put several workers on one timeline. */
  startedAtEpochMs: number;
  endedAtEpochMs: number;
}

const input = JSON.parse(await readFile(process.argv[2]!, "utf8")) as WorkerInput;
const call = await createContenderCall(input.contender, input.setup);

// Warm-up: JIT, connection pools and token caches, outside the measurement.
await runLoad(call, input.warmup, input.setup.concurrency);

if (input.startAtEpochMs !== undefined) {
  const delay = input.startAtEpochMs - Date.now();
  if (delay > 0) await new Promise((resolve) => setTimeout(resolve, delay));
}

const startedAtEpochMs = Date.now();
const cpuBefore = process.cpuUsage();
const started = performance.now();
const result = await runLoad(call, input.measured, input.setup.concurrency);
const wallMs = performance.now() - started;
const cpu = process.cpuUsage(cpuBefore);

const output: WorkerOutput = {
  wallMs,
  cpuMs: (cpu.user + cpu.system) / 1000,
  calls: input.measured.length,
  failures: result.failures,
  ...(result.firstFailure ? { firstFailure: result.firstFailure } : {}),
  p50Ms: quantile(result.latenciesMs, 0.5),
  p99Ms: quantile(result.latenciesMs, 0.99),
  startedAtEpochMs,
  endedAtEpochMs: startedAtEpochMs + wallMs,
};
process.stdout.write(`${JSON.stringify(output)}\n`);
// Keep-alive sockets would hold the process open; the answer is out, so leave.
process.exit(0);
