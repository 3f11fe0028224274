import { spawn, type ChildProcessWithoutNullStreams } from "node:child_process";
import { join } from "node:path";

/**
 * The built `graph-sync` bin (nx builds the SDK before these tests). When the CLI moves to its own
 * package, this path follows it.
 */
export const cliPath = join(import.meta.dirname, "../../../sdk/dist/cli/main.js");

/** A running `graph-sync` command: waits (bounded) for what it prints, and for its exit. */
export interface RunningCli {
  child: ChildProcessWithoutNullStreams;
  /** Resolves to the first match of `pattern` on stderr, within 20 s. */
  stderrMatch(pattern: RegExp): Promise<RegExpExecArray>;
  /** Resolves when it exits; it is killed after 50 s. */
  exited: Promise<{ code: number | null; stdout: string; stderr: string }>;
}

export function startCli(args: readonly string[], env: Record<string, string>): RunningCli {
  const child = spawn(process.execPath, [cliPath, ...args], { env: { PATH: process.env["PATH"], ...env }, stdio: "pipe" });
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
  const killer = setTimeout(() => child.kill("SIGKILL"), 50_000);
  const exited = new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) =>
    child.once("close", (code) => {
      clearTimeout(killer);
      resolve({ code, stdout, stderr });
    }),
  );
  const stderrMatch = (pattern: RegExp) =>
    new Promise<RegExpExecArray>((resolve, reject) => {
      const deadline = setTimeout(() => reject(new Error(`no ${pattern} on stderr within 20 s; stderr: ${stderr}`)), 20_000);
      const check = () => {
        const match = pattern.exec(stderr);
        if (!match) return;
        clearTimeout(deadline);
        child.stderr.off("data", check);
        resolve(match);
      };
      child.stderr.on("data", check);
      check();
    });
  return { child, stderrMatch, exited };
}
