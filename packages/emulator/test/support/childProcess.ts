import { spawn } from "node:child_process";

/**
 * Runs a Node script (with this Node, so the pinned version) to completion with extra environment,
 * and returns the last line it printed on stdout parsed as JSON. Bounded by `timeoutInMs`.
 */
export function runNodeScript(
  script: string,
  env: Record<string, string>,
  timeoutInMs = 20_000,
): Promise<Record<string, unknown>> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [script], { env: { ...process.env, ...env }, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    const timer = setTimeout(() => child.kill("SIGKILL"), timeoutInMs);
    child.on("error", reject);
    child.on("close", (exitCode) => {
      clearTimeout(timer);
      const last = stdout.trim().split("\n").at(-1) ?? "";
      if (exitCode !== 0 || last === "") {
        reject(new Error(`${script} exited with ${exitCode}: ${stderr || stdout}`));
        return;
      }
      resolve(JSON.parse(last) as Record<string, unknown>);
    });
  });
}
