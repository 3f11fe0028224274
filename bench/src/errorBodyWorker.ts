// One measured run of figure 7 for one contender, in a process of its own: a few normal calls to
// warm up, then calls that the server fails with a huge error body. Measures how much the process
// grows while it handles them. Input: a JSON file (argv[2]); output: one JSON line on stdout.
import { readFile } from "node:fs/promises";
import { createContenderCall, type ContenderName, type ContenderSetup } from "./contenders.ts";

export interface ErrorBodyWorkerInput {
  contender: ContenderName;
  setup: ContenderSetup;
  warmupPrincipal: string;
  hugeErrorPrincipal: string;
  warmupCalls: number;
  measuredCalls: number;
}

export interface ErrorBodyWorkerOutput {
  /** Peak resident set size during the failing calls, less the resident set size before them. */
  peakRssGrowthBytes: number;
  /** Peak of V8 heap in use plus ArrayBuffer memory, less the same before them (sampled every ms). */
  peakHeapGrowthBytes: number;
  msPerCall: number;
  calls: number;
  /** Calls that did not end in an error: the contender missed the failure. */
  unexpectedSuccesses: number;
}

const input = JSON.parse(await readFile(process.argv[2]!, "utf8")) as ErrorBodyWorkerInput;
const call = await createContenderCall(input.contender, input.setup);

for (let index = 0; index < input.warmupCalls; index++) await call(input.warmupPrincipal, `warm-up-${index}`);

const heapInUse = () => {
  const usage = process.memoryUsage();
  return { rss: usage.rss, heap: usage.heapUsed + usage.arrayBuffers };
};
const before = heapInUse();
let peak = before;
// JSON.parse of a huge body blocks the loop, so sampling alone can miss the top; the kernel's
// high-water mark (maxRSS) cannot, and is what the RSS figure uses.
const sampler = setInterval(() => {
  const now = heapInUse();
  peak = { rss: Math.max(peak.rss, now.rss), heap: Math.max(peak.heap, now.heap) };
}, 1);

let unexpectedSuccesses = 0;
const started = performance.now();
for (let index = 0; index < input.measuredCalls; index++) {
  try {
    await call(input.hugeErrorPrincipal, `measured-${index}`);
    unexpectedSuccesses++;
  } catch {
    // The expected outcome: the call failed with the server's error.
  }
  const now = heapInUse();
  peak = { rss: Math.max(peak.rss, now.rss), heap: Math.max(peak.heap, now.heap) };
}
const elapsed = performance.now() - started;
clearInterval(sampler);
const maxRss = Math.max(process.resourceUsage().maxRSS * 1024, peak.rss);

const output: ErrorBodyWorkerOutput = {
  peakRssGrowthBytes: Math.max(0, maxRss - before.rss),
  peakHeapGrowthBytes: Math.max(0, peak.heap - before.heap),
  msPerCall: elapsed / input.measuredCalls,
  calls: input.measuredCalls,
  unexpectedSuccesses,
};
process.stdout.write(`${JSON.stringify(output)}\n`);
process.exit(0);
