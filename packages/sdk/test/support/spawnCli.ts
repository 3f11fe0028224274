import { spawn, type ChildProcess } from "node:child_process";
import { join } from "node:path";

export const packageRoot = join(import.meta.dirname, "../..");
export const cliPath = join(packageRoot, "dist/cli/main.js");

export interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

export interface SpawnCliOptions {
  env?: Record<string, string | undefined>;
  stdin?: string;
  /** Called once the process is running, e.g. to send it a signal. */
  onSpawn?: (child: ChildProcess) => void;
  timeoutInMs?: number;
}

/**
 * Runs the built `graph-sync` bin in a child process with a clean environment (only PATH and what
 * the test passes), so no AZURE_* variable of the machine leaks in.
 */
export function spawnCli(args: readonly string[], options: SpawnCliOptions = {}): Promise<CliRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [cliPath, ...args], {
      cwd: packageRoot,
      env: { PATH: process.env["PATH"], ...options.env },
      stdio: ["pipe", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      reject(new Error(`graph-sync ${args.join(" ")} did not finish in time\nstdout: ${stdout}\nstderr: ${stderr}`));
    }, options.timeoutInMs ?? 55_000);
    child.on("error", reject);
    child.on("close", (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
    child.stdin.end(options.stdin ?? "");
    options.onSpawn?.(child);
  });
}
