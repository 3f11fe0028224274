// Figure 5: many calls against the emulator's throttling — its default limit, and a tight one that
// is certain to bite, from one process and from several processes of one application — by the
// contenders that retry on their own. Reports wall time against the least the limit allows, 429s
// received, failures and token requests, all read from the emulator's own request log rather than
// from the clients. The emulator enforces its waits per application (scope app, as Graph does)
// unless the plan says otherwise.
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { startEmulator, type RunningEmulator } from "@graph-sync/emulator";
import type { ContenderName } from "../contenders.ts";
import { emulatorTarget } from "../emulatorTarget.ts";
import { benchScript, runNode } from "../processes.ts";
import { makeJobs } from "../target.ts";
import type { WorkerInput, WorkerOutput } from "../worker.ts";

export interface ThrottlingPlan {
  calls: number;
  servicePrincipals: number;
  concurrency: number;
  tightLimit: { limit: number; windowSeconds: number; retryAfterFormat?: "integer" | "fractional" | "http-date"; scope?: "app" | "request" };
  /** The several processes of one application in "tight-processes": how many, and the concurrency of each. */
  processes: { count: number; concurrencyEach: number };
  /**
   * "default": the emulator's own limit, as the issue asks; "tight": one certain to bite, one
   * process; "tight-processes": the same limit, the calls split over several processes of one
   * application (one app registration, one tenant), as a service running many workers would.
   */
  scenarios: readonly ("default" | "tight" | "tight-processes")[];
}

export interface ThrottlingRow {
  scenario: string;
  contender: ContenderName;
  calls: number;
  wallMs: number;
  minimumMs: number;
  throttledResponses: number;
  failures: number;
  firstFailure?: string;
  tokenRequests: number;
  /** How many processes made the calls (1 unless several processes of one application). */
  processes: number;
}

/** Contenders that retry 429 by themselves; the hand-written ones would simply fail. */
export const RETRYING_CONTENDERS: ContenderName[] = ["sdk", "kiota", "graph-client"];

/** The least wall time `calls` requests can take when only `limit` fit in each window. */
function leastTimeAllowed(calls: number, limit: number, windowSeconds: number): number {
  return calls <= limit ? 0 : Math.ceil(calls / limit - 1) * windowSeconds * 1000;
}

async function seedServicePrincipals(emulator: RunningEmulator, count: number): Promise<string[]> {
  const { servicePrincipals } = await emulator.admin.seed({
    servicePrincipals: Array.from({ length: count }, (_, index) => ({
      tenantId: emulator.tenantId,
      displayName: `bench target ${index + 1}`,
      owners: [emulator.clientId],
      targetClientId: emulator.target.clientId,
    })),
  });
  return servicePrincipals.map((principal) => principal.id);
}

/** Workers start their measured calls together this long after they are spawned (start-up and warm-up). */
const COMMON_START_DELAY_MS = 8_000;

async function runScenario(
  scenario: string,
  emulator: RunningEmulator,
  limit: number,
  windowSeconds: number,
  plan: ThrottlingPlan,
  processes: { count: number; concurrencyEach: number },
  folder: string,
  contenders: readonly ContenderName[],
): Promise<ThrottlingRow[]> {
  const env = { NODE_EXTRA_CA_CERTS: emulator.caCertPath };
  const servicePrincipalIds = await seedServicePrincipals(emulator, plan.servicePrincipals);
  const target = await emulatorTarget(emulator, servicePrincipalIds);
  const rows: ThrottlingRow[] = [];
  for (const contender of contenders) {
    const jobs = await makeJobs(target, plan.calls);
    // One process: it starts when it is ready. Several: all start at one moment, after all are ready.
    const startAtEpochMs = processes.count > 1 ? Date.now() + COMMON_START_DELAY_MS : undefined;
    const inputFiles: string[] = [];
    for (let index = 0; index < processes.count; index++) {
      const input: WorkerInput = {
        contender,
        setup: { graphOrigin: target.graphOrigin, graphHttpsOrigin: target.graphHttpsOrigin, auth: target.auth, concurrency: processes.concurrencyEach },
        warmup: [],
        measured: jobs.filter((_, job) => job % processes.count === index),
        ...(startAtEpochMs === undefined ? {} : { startAtEpochMs }),
      };
      const inputFile = path.join(folder, `${scenario.replace(/\W/g, "_")}-${contender.replace(/\W/g, "_")}-${index}.json`);
      await writeFile(inputFile, JSON.stringify(input));
      inputFiles.push(inputFile);
    }
    const logBefore = await emulator.admin.requests();
    const after = logBefore.at(-1)?.sequence ?? 0;
    const outputs = await Promise.all(inputFiles.map(async (inputFile) => JSON.parse(await runNode(benchScript("worker.ts"), [inputFile], env)) as WorkerOutput));
    const entries = (await emulator.admin.requests()).filter((entry) => entry.sequence > after);
    // From the common start (or the one worker's start) to the last worker's last answer.
    const startedAt = startAtEpochMs ?? Math.min(...outputs.map((output) => output.startedAtEpochMs));
    const wallMs = Math.max(...outputs.map((output) => output.endedAtEpochMs)) - startedAt;
    const firstFailure = outputs.find((output) => output.firstFailure)?.firstFailure;
    rows.push({
      scenario,
      contender,
      calls: plan.calls,
      processes: processes.count,
      wallMs,
      minimumMs: leastTimeAllowed(plan.calls, limit, windowSeconds),
      throttledResponses: entries.filter((entry) => entry.area === "graph" && entry.status === 429).length,
      failures: outputs.reduce((sum, output) => sum + output.failures, 0),
      ...(firstFailure ? { firstFailure } : {}),
      tokenRequests: entries.filter((entry) => entry.area === "login" && entry.path.endsWith("/oauth2/v2.0/token")).length,
    });
    const late = outputs.map((output) => output.startedAtEpochMs - startedAt).filter((lag) => lag > 50);
    process.stderr.write(`  ${scenario} · ${contender}: ${(wallMs / 1000).toFixed(2)} s, ${rows.at(-1)!.failures} failed${late.length > 0 ? ` (${late.length} worker(s) started up to ${Math.max(...late)} ms late)` : ""}\n`);
    // Let the window drain so the next contender starts from the same budget.
    await new Promise((resolve) => setTimeout(resolve, windowSeconds * 1000));
  }
  return rows;
}

export async function measureThrottling(plan: ThrottlingPlan, contenders: readonly ContenderName[] = RETRYING_CONTENDERS): Promise<ThrottlingRow[]> {
  const folder = await mkdtemp(path.join(tmpdir(), "graph-sync-throttle-"));
  const rows: ThrottlingRow[] = [];
  try {
    for (const scenario of plan.scenarios) {
      const tight = scenario !== "default";
      const emulator = await startEmulator({ autoConsent: true, ...(tight ? { throttling: { enabled: true, ...plan.tightLimit } } : {}) });
      try {
        const { limit, windowSeconds, scope } = await emulator.admin.throttling();
        const processes = scenario === "tight-processes" ? plan.processes : { count: 1, concurrencyEach: plan.concurrency };
        const shape = processes.count > 1 ? `, ${processes.count} processes × ${processes.concurrencyEach}` : "";
        const label = `${tight ? "tight" : "default"} limit (${limit} per ${windowSeconds} s, scope ${scope}${shape})`;
        rows.push(...(await runScenario(label, emulator, limit, windowSeconds, plan, processes, folder, contenders)));
      } finally {
        await emulator.close();
      }
    }
  } finally {
    await rm(folder, { recursive: true, force: true });
  }
  return rows;
}
