// Child processes for the harness: measured workers, the minimal server, the emulator.
import { spawn, type ChildProcess } from "node:child_process";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";

const TIMEOUT_MS = 300_000;

export const benchScript = (name: string) => fileURLToPath(new URL(name, import.meta.url));

/** Runs `node script args…` to completion and returns its stdout; fails loudly on a non-zero exit. */
export function runNode(script: string, args: string[], env: NodeJS.ProcessEnv = {}): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [script, ...args], {
      env: { ...process.env, ...env },
      stdio: ["ignore", "pipe", "pipe"],
      timeout: TIMEOUT_MS,
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => (stdout += chunk));
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk));
    child.on("error", reject);
    child.on("close", (code, signal) =>
      code === 0 ? resolve(stdout) : reject(new Error(`${script} exited with ${code ?? signal}:\n${stderr.slice(-2000)}`)),
    );
  });
}

export interface LongRunningChild {
  firstLine: string;
  stop(): Promise<void>;
}

/** Starts a server process and waits for the first line it prints (its address or facts). */
export function startChild(command: string, args: string[], env: NodeJS.ProcessEnv = {}): Promise<LongRunningChild> {
  return new Promise((resolve, reject) => {
    const child: ChildProcess = spawn(command, args, {
      env: { ...process.env, ...env },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stderr = "";
    child.stderr!.on("data", (chunk: Buffer) => (stderr = (stderr + chunk).slice(-4000)));
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      reject(new Error(`${args.join(" ")} printed nothing within 60 s:\n${stderr}`));
    }, 60_000);
    child.on("error", reject);
    child.on("exit", (code) => reject(new Error(`${args.join(" ")} exited early with ${code}:\n${stderr}`)));
    createInterface({ input: child.stdout! }).once("line", (firstLine) => {
      clearTimeout(timer);
      resolve({
        firstLine,
        stop: () =>
          new Promise<void>((done) => {
            if (child.exitCode !== null) return done();
            child.removeAllListeners("exit");
            child.once("exit", () => done());
            child.kill("SIGTERM");
            setTimeout(() => child.kill("SIGKILL"), 5_000).unref();
          }),
      });
    });
  });
}

export async function startMinimalServer(): Promise<{ origin: string; stop(): Promise<void> }> {
  const child = await startChild(process.execPath, [benchScript("minimalServer.ts")]);
  return { origin: `http://127.0.0.1:${child.firstLine.trim()}`, stop: child.stop };
}
