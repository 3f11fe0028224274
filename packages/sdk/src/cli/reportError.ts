import { isGraphSyncError, type GraphSyncError } from "../errors/graphSyncError.js";
import type { CliOutput } from "./cliIo.js";
import { ExitCode, exitCodeFor, type ExitCodeValue } from "./exitCodes.js";
import { UsageError } from "./usageError.js";

/** Prints a failure for a person (stderr) or a program (JSON on stdout) and returns the exit code. */
export function reportError(error: unknown, output: CliOutput, options: { json: boolean; command: string }): ExitCodeValue {
  if (error instanceof UsageError) {
    if (options.json) output.json({ ok: false, exitCode: ExitCode.usage, error: { kind: "usage", message: error.message } });
    else {
      output.err(`graph-sync: ${error.message}`);
      output.err(`Run "graph-sync help${options.command ? ` ${options.command}` : ""}" for usage.`);
    }
    return ExitCode.usage;
  }
  if (isGraphSyncError(error)) {
    const exitCode = exitCodeFor(error.kind);
    if (options.json) output.json({ ok: false, exitCode, error: error.toJSON() });
    else printGraphSyncError(error, output);
    return exitCode;
  }
  const message = error instanceof Error ? error.message : String(error);
  if (options.json) output.json({ ok: false, exitCode: ExitCode.failure, error: { kind: "unexpected", message } });
  else {
    output.err(`✖ Unexpected failure: ${message}`);
    if (output.verbose && error instanceof Error && error.stack) output.err(error.stack);
  }
  return ExitCode.failure;
}

function printGraphSyncError(error: GraphSyncError, output: CliOutput): void {
  output.err(`✖ ${error.message}`);
  const facts = [
    `kind: ${error.kind}`,
    error.status !== undefined ? `status: ${error.status}` : undefined,
    error.code !== undefined ? `code: ${error.code}` : undefined,
    error.attempts > 0 ? `attempts: ${error.attempts}` : undefined,
    error.retryAfterInMs !== undefined ? `retry after: ${error.retryAfterInMs / 1000} s` : undefined,
  ].filter(Boolean);
  output.err(`  ${facts.join(" · ")}`);
  const ids = [
    error.requestId ? `request-id: ${error.requestId}` : undefined,
    error.clientRequestId ? `client-request-id: ${error.clientRequestId}` : undefined,
    error.date ? `date: ${error.date.toISOString()}` : undefined,
  ].filter(Boolean);
  if (ids.length > 0) output.err(`  ${ids.join(" · ")}`);
  if (error.mayHaveBeenProcessed) output.err("  The request may have been carried out: check before retrying with a new code.");
  if (output.verbose) {
    for (let cause = error.cause; cause instanceof Error; cause = cause.cause) {
      output.err(`  caused by ${cause.name}: ${cause.message}`);
    }
  }
}
