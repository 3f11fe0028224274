// Runs a fixed number of calls with at most `concurrency` in flight, timing each one.
import type { AcquireCall } from "./contenders.ts";

export interface Job {
  servicePrincipalId: string;
  authorizationCode: string;
}

export interface LoadResult {
  latenciesMs: number[];
  failures: number;
  firstFailure?: string;
}

export async function runLoad(call: AcquireCall, jobs: readonly Job[], concurrency: number): Promise<LoadResult> {
  const latenciesMs: number[] = [];
  let failures = 0;
  let firstFailure: string | undefined;
  let next = 0;
  const lane = async () => {
    while (next < jobs.length) {
      const job = jobs[next++]!;
      const started = performance.now();
      try {
        await call(job.servicePrincipalId, job.authorizationCode);
        latenciesMs.push(performance.now() - started);
      } catch (error) {
        failures++;
        firstFailure ??= describeFailure(error);
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, jobs.length) }, lane));
  return { latenciesMs, failures, ...(firstFailure ? { firstFailure } : {}) };
}

/** Kiota throws plain objects (ODataError is not an Error), so read what any failure carries. */
function describeFailure(error: unknown): string {
  if (error instanceof Error) return `${error.name}: ${error.message}`;
  const { message, responseStatusCode } = (error ?? {}) as { message?: unknown; responseStatusCode?: unknown };
  if (typeof message === "string") return `${typeof responseStatusCode === "number" ? `HTTP ${responseStatusCode}: ` : ""}${message}`;
  return String(error);
}
