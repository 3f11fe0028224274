import { runProcess, startProcess, type StartedProcess } from "@graph-sync/test-support";
import type { EmulatorFacts } from "../../src/index.js";
import { builtCliPath } from "./testBuild.js";

/** A CLI emulator running as a child process. */
export interface CliEmulator extends Omit<StartedProcess, "firstLine"> {
  facts: EmulatorFacts;
}

/** Starts the compiled CLI and waits (bounded) for its JSON line. */
export async function startCli(args: string[], timeoutInMs = 20_000): Promise<CliEmulator> {
  const { firstLine, ...started } = await startProcess(process.execPath, [builtCliPath, ...args], {
    timeoutInMs,
    name: "the CLI",
    lineName: "JSON line",
  });
  return { ...started, facts: JSON.parse(firstLine) as EmulatorFacts };
}

/** Runs the CLI to completion (for --help and errors), bounded. */
export async function runCli(args: string[]): Promise<{ exitCode: number | null; stdout: string; stderr: string }> {
  const { code, stdout, stderr } = await runProcess(process.execPath, [builtCliPath, ...args], { timeoutInMs: 15_000 });
  return { exitCode: code, stdout, stderr };
}
