#!/usr/bin/env node
// The `graph-sync` executable: wires runCli to the real process.
import { ExitCode } from "./exitCodes.js";
import { runCli } from "./runCli.js";

const controller = new AbortController();
// First Ctrl+C: abort the call in flight (the SDK reports what may have happened); second: leave now.
process.on("SIGINT", () => {
  if (controller.signal.aborted) process.exit(ExitCode.interrupted);
  controller.abort(new Error("interrupted (SIGINT)"));
});

process.exitCode = await runCli(
  process.argv.slice(2),
  { stdout: process.stdout, stderr: process.stderr, stdin: process.stdin, env: process.env },
  controller.signal,
);
