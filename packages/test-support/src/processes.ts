import { spawn, type ChildProcess, type ChildProcessWithoutNullStreams } from "node:child_process";

/** A finished child process: how it ended and everything it printed. */
export interface ProcessRun {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

export interface RunProcessOptions {
  cwd?: string;
  /** The child's whole environment. Default: this process's. */
  env?: NodeJS.ProcessEnv;
  /**
   * Written to stdin, which is then closed. Default: stdin is /dev/null (not an empty pipe: bash
   * takes a socket on stdin for a remote shell and reads the machine's bashrc).
   */
  stdin?: string;
  /** Called once the process is running, e.g. to send it a signal. */
  onSpawn?: (child: ChildProcess) => void;
  /** The bound on the run; then its process group is killed and the run fails. Default 55 s. */
  timeoutInMs?: number;
}

/**
 * Runs `command` to completion. The child leads its own process group, so a run that times out is
 * killed with everything it started (npx → npm → node), and the error shows what it printed.
 */
export function runProcess(command: string, args: readonly string[], options: RunProcessOptions = {}): Promise<ProcessRun> {
  return new Promise((resolve, reject) => {
    const stdin = options.stdin === undefined ? "ignore" : "pipe";
    const child = spawn(command, args, { cwd: options.cwd, env: options.env ?? process.env, stdio: [stdin, "pipe", "pipe"], detached: true });
    const output = collectOutput(child as ChildProcessWithoutNullStreams);
    const timer = setTimeout(() => {
      killGroup(child);
      reject(new Error(`${command} ${args.join(" ")} did not finish within ${options.timeoutInMs ?? 55_000} ms\nstdout: ${output.stdout()}\nstderr: ${output.stderr()}`));
    }, options.timeoutInMs ?? 55_000);
    child.on("error", (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.on("close", (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout: output.stdout(), stderr: output.stderr() });
    });
    child.stdin?.on("error", () => undefined); // a child that exits without reading its input
    child.stdin?.end(options.stdin);
    options.onSpawn?.(child);
  });
}

/** A long-running child process (a server) that has printed its first line. */
export interface StartedProcess {
  child: ChildProcessWithoutNullStreams;
  /** The first line it printed on stdout (an emulator's JSON facts). */
  firstLine: string;
  stdout: () => string;
  stderr: () => string;
  /** Resolves to the exit code, or the signal's name, once it has exited. */
  exited: Promise<number | string>;
  /** Sends `signal` (default SIGTERM) to its process group and waits, bounded, for it to exit. */
  stop: (signal?: NodeJS.Signals) => Promise<number | string>;
}

export interface StartProcessOptions extends Pick<RunProcessOptions, "cwd" | "env" | "timeoutInMs"> {
  /** How failures name the process and the line it owes ("the CLI", "JSON line"). */
  name?: string;
  lineName?: string;
}

/** Starts `command` and waits (bounded) for its first line on stdout; stops it if that never comes. */
export function startProcess(command: string, args: readonly string[], options: StartProcessOptions = {}): Promise<StartedProcess> {
  const timeoutInMs = options.timeoutInMs ?? 30_000;
  const name = options.name ?? `${command} ${args.join(" ")}`;
  const lineName = options.lineName ?? "first line";
  const child = spawn(command, args, { cwd: options.cwd, env: options.env ?? process.env, stdio: ["pipe", "pipe", "pipe"], detached: true });
  const output = collectOutput(child);
  const exited = new Promise<number | string>((resolve) => child.once("close", (code, signal) => resolve(code ?? signal ?? "unknown")));
  const stop = (signal: NodeJS.Signals = "SIGTERM") => {
    if (child.exitCode === null && child.signalCode === null) killGroup(child, signal);
    return withTimeout(exited, 10_000, `${name} did not exit after ${signal}`);
  };
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      void stop("SIGKILL");
      reject(new Error(`${name} printed no ${lineName} within ${timeoutInMs} ms; stderr: ${output.stderr()}`));
    }, timeoutInMs);
    const onData = () => {
      const newline = output.stdout().indexOf("\n");
      if (newline < 0) return;
      clearTimeout(timer);
      child.stdout.off("data", onData);
      resolve({ child, firstLine: output.stdout().slice(0, newline), stdout: output.stdout, stderr: output.stderr, exited, stop });
    };
    child.stdout.on("data", onData);
    child.on("error", (error) => {
      clearTimeout(timer);
      reject(error);
    });
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`${name} exited (${code}) before printing its ${lineName}; stderr: ${output.stderr()}`));
    });
  });
}

function collectOutput(child: Pick<ChildProcessWithoutNullStreams, "stdout" | "stderr">): { stdout: () => string; stderr: () => string } {
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
  return { stdout: () => stdout, stderr: () => stderr };
}

function killGroup(child: ChildProcess, signal: NodeJS.Signals = "SIGKILL"): void {
  if (child.pid === undefined) return;
  try {
    process.kill(-child.pid, signal);
  } catch {
    child.kill(signal); // the group is gone already, or was never made
  }
}

function withTimeout<T>(promise: Promise<T>, timeoutInMs: number, message: string): Promise<T> {
  return Promise.race([
    promise,
    new Promise<T>((_resolve, reject) => setTimeout(() => reject(new Error(message)), timeoutInMs).unref()),
  ]);
}
