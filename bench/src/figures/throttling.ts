// Figure 5: many calls against the emulator's throttling — its default limit, and a tight one that
// is certain to bite — by the contenders that retry on their own. Reports wall time against the
// least the limit allows, 429s received, failures and token requests, all read from the
// emulator's own request log rather than from the clients.
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
  tightLimit: { limit: number; windowSeconds: number; retryAfterFormat?: "integer" | "fractional" | "http-date" };
  /** "default": the emulator's own limit, as the issue asks; "tight": one certain to bite. */
  scenarios: readonly ("default" | "tight")[];
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

async function runScenario(
  scenario: string,
  emulator: RunningEmulator,
  limit: number,
  windowSeconds: number,
  plan: ThrottlingPlan,
  folder: string,
  contenders: readonly ContenderName[],
): Promise<ThrottlingRow[]> {
  const env = { NODE_EXTRA_CA_CERTS: emulator.caCertPath };
  const servicePrincipalIds = await seedServicePrincipals(emulator, plan.servicePrincipals);
  const target = await emulatorTarget(emulator, servicePrincipalIds);
  const rows: ThrottlingRow[] = [];
  for (const contender of contenders) {
    const input: WorkerInput = {
      contender,
      setup: { graphOrigin: target.graphOrigin, graphHttpsOrigin: target.graphHttpsOrigin, auth: target.auth, concurrency: plan.concurrency },
      warmup: [],
      measured: await makeJobs(target, plan.calls),
    };
    const inputFile = path.join(folder, `${scenario.replace(/\W/g, "_")}-${contender.replace(/\W/g, "_")}.json`);
    await writeFile(inputFile, JSON.stringify(input));
    const logBefore = await emulator.admin.requests();
    const after = logBefore.at(-1)?.sequence ?? 0;
    const output = JSON.parse(await runNode(benchScript("worker.ts"), [inputFile], env)) as WorkerOutput;
    const entries = (await emulator.admin.requests()).filter((entry) => entry.sequence > after);
    rows.push({
      scenario,
      contender,
      calls: plan.calls,
      wallMs: output.wallMs,
      minimumMs: leastTimeAllowed(plan.calls, limit, windowSeconds),
      throttledResponses: entries.filter((entry) => entry.area === "graph" && entry.status === 429).length,
      failures: output.failures,
      ...(output.firstFailure ? { firstFailure: output.firstFailure } : {}),
      tokenRequests: entries.filter((entry) => entry.area === "login" && entry.path.endsWith("/oauth2/v2.0/token")).length,
    });
    process.stderr.write(`  ${scenario} · ${contender}: ${(output.wallMs / 1000).toFixed(2)} s, ${output.failures} failed\n`);
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
      const emulator = await startEmulator({
        autoConsent: true,
        ...(scenario === "tight" ? { throttling: { enabled: true, ...plan.tightLimit } } : {}),
      });
      try {
        const { limit, windowSeconds } = await emulator.admin.throttling();
        const label = `${scenario} limit (${limit} per ${windowSeconds} s)`;
        rows.push(...(await runScenario(label, emulator, limit, windowSeconds, plan, folder, contenders)));
      } finally {
        await emulator.close();
      }
    }
  } finally {
    await rm(folder, { recursive: true, force: true });
  }
  return rows;
}
