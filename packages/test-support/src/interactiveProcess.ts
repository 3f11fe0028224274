import { spawn, type ChildProcessWithoutNullStreams } from "node:child_process";

/**
 * A child process a test talks to while it runs (a CLI waiting for a browser's redirect or a
 * pasted address): it waits, bounded, for what the process prints on stderr, and for its exit.
 */
export interface InteractiveProcess {
  child: ChildProcessWithoutNullStreams;
  /** Resolves to the first match of `pattern` on stderr, or rejects after 20 s with what stderr held. */
  stderrMatch(pattern: RegExp): Promise<RegExpExecArray>;
  /** Resolves when the process exits; it is killed once `killAfterInMs` has passed. */
  exited: Promise<{ code: number | null; stdout: string; stderr: string }>;
}

/** What {@link startInteractiveProcess} needs besides the command. */
export interface InteractiveProcessOptions {
  /** The child's whole environment besides PATH: nothing of the test's environment leaks in. */
  env: Record<string, string>;
  cwd?: string;
  /** How long the process may run before it is killed (default 50 s). */
  killAfterInMs?: number;
}

/** Starts `command` with pipes on every stream; see {@link InteractiveProcess}. */
export function startInteractiveProcess(command: string, args: readonly string[], options: InteractiveProcessOptions): InteractiveProcess {
  const child = spawn(command, args, { ...(options.cwd !== undefined && { cwd: options.cwd }), env: { PATH: process.env["PATH"], ...options.env }, stdio: "pipe" });
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
  const killer = setTimeout(() => child.kill("SIGKILL"), options.killAfterInMs ?? 50_000);
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
