import { spawn, type ChildProcessWithoutNullStreams } from "node:child_process";
import type { EmulatorFacts } from "../../src/index.js";
import { builtCliPath } from "./testBuild.js";

/** A CLI emulator running as a child process. */
export interface CliEmulator {
  child: ChildProcessWithoutNullStreams;
  facts: EmulatorFacts;
  /** Everything printed on stdout so far. */
  stdout: () => string;
  stderr: () => string;
  /** Sends `signal` and resolves to the exit code (or the signal name) once it has exited. */
  stop: (signal?: NodeJS.Signals) => Promise<number | string>;
  exited: Promise<number | string>;
}

/** Starts the compiled CLI and waits (bounded) for its JSON line. */
export function startCli(args: string[], timeoutInMs = 20_000): Promise<CliEmulator> {
  const child = spawn(process.execPath, [builtCliPath, ...args], { stdio: ["pipe", "pipe", "pipe"] });
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<number | string>((resolve) => child.once("exit", (code, signal) => resolve(code ?? signal ?? "unknown")));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      reject(new Error(`the CLI printed no JSON line within ${timeoutInMs} ms; stderr: ${stderr}`));
    }, timeoutInMs);
    const onData = () => {
      const newline = stdout.indexOf("\n");
      if (newline < 0) return;
      clearTimeout(timer);
      child.stdout.off("data", onData);
      resolve({
        child,
        facts: JSON.parse(stdout.slice(0, newline)) as EmulatorFacts,
        stdout: () => stdout,
        stderr: () => stderr,
        exited,
        stop: (signal = "SIGTERM") => {
          if (child.exitCode === null && child.signalCode === null) child.kill(signal);
          return withTimeout(exited, 10_000, "the CLI did not exit");
        },
      });
    };
    child.stdout.on("data", onData);
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`the CLI exited (${code}) before printing its JSON line; stderr: ${stderr}`));
    });
  });
}

/** Runs the CLI to completion (for --help and errors), bounded. */
export function runCli(args: string[]): Promise<{ exitCode: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [builtCliPath, ...args]);
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    const timer = setTimeout(() => child.kill("SIGKILL"), 15_000);
    child.on("exit", (exitCode) => {
      clearTimeout(timer);
      resolve({ exitCode, stdout, stderr });
    });
  });
}

function withTimeout<T>(promise: Promise<T>, timeoutInMs: number, message: string): Promise<T> {
  return Promise.race([
    promise,
    new Promise<T>((_resolve, reject) => setTimeout(() => reject(new Error(message)), timeoutInMs).unref()),
  ]);
}
