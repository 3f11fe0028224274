import { runProcess } from "@graph-sync/test-support";

/**
 * Runs a Node script (with this Node, so the pinned version) to completion with extra environment,
 * and returns the last line it printed on stdout parsed as JSON. Bounded by `timeoutInMs`.
 */
export async function runNodeScript(script: string, env: Record<string, string>, timeoutInMs = 20_000): Promise<Record<string, unknown>> {
  const run = await runProcess(process.execPath, [script], { env: { ...process.env, ...env }, timeoutInMs });
  const last = run.stdout.trim().split("\n").at(-1) ?? "";
  if (run.code !== 0 || last === "") throw new Error(`${script} exited with ${run.code}: ${run.stderr || run.stdout}`);
  return JSON.parse(last) as Record<string, unknown>;
}
