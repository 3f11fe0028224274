import { join } from "node:path";
import { runProcess, type ProcessRun, type RunProcessOptions } from "@graph-sync/test-support";

export const packageRoot = join(import.meta.dirname, "../..");
export const cliPath = join(packageRoot, "dist/main.js");

export type CliRun = ProcessRun;

/**
 * Runs the built `graph-sync` bin in a child process with a clean environment (only PATH and what
 * the test passes), so no AZURE_* variable of the machine leaks in.
 */
export function spawnCli(args: readonly string[], options: Omit<RunProcessOptions, "cwd" | "env"> & { env?: Record<string, string | undefined> } = {}): Promise<CliRun> {
  return runProcess(process.execPath, [cliPath, ...args], { ...options, cwd: packageRoot, env: { PATH: process.env["PATH"], ...options.env } });
}
