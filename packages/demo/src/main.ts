#!/usr/bin/env node
// The demo's executable (`npm start`): the graph-sync CLI's process wiring, around the demo command.
import { CliOutput, ExitCode, reportError, UsageError, type CliIo } from "@graph-sync/cli";
import { demoCommand, parseDemoArguments } from "./demoCommand.js";

const controller = new AbortController();
// First Ctrl+C: abort the call in flight (the SDK reports what may have happened); second: leave now.
process.on("SIGINT", () => {
  if (controller.signal.aborted) process.exit(ExitCode.interrupted);
  controller.abort(new Error("interrupted (SIGINT)"));
});

const args = process.argv.slice(2);
const io: CliIo = { stdout: process.stdout, stderr: process.stderr, stdin: process.stdin, env: process.env };
const output = new CliOutput(io, args.includes("--verbose"));
try {
  process.exitCode = await demoCommand(parseDemoArguments(args), io, output, controller.signal);
} catch (error) {
  if (error instanceof UsageError) {
    // reportError would point at `graph-sync help`, which does not know the demo.
    output.err(`graph-sync demo: ${error.message}`);
    output.err('Run "npm start -- --help" for usage.');
    process.exitCode = ExitCode.usage;
  } else {
    process.exitCode = reportError(error, output, { json: false, command: "", interrupted: controller.signal.aborted });
  }
}
