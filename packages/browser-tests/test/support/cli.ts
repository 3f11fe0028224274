import { join } from "node:path";
import { startInteractiveProcess, type InteractiveProcess } from "@graph-sync/test-support";

/** The built `graph-sync` bin (nx builds the CLI package before these tests). */
export const cliPath = join(import.meta.dirname, "../../../cli/dist/main.js");

/** A running `graph-sync` command (killed after 50 s). */
export type RunningCli = InteractiveProcess;

/** Starts the built `graph-sync` with only PATH and `env` as its environment. */
export function startCli(args: readonly string[], env: Record<string, string>): RunningCli {
  return startInteractiveProcess(process.execPath, [cliPath, ...args], { env });
}
