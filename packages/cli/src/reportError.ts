import { GraphSyncError, isGraphSyncError } from "@graph-sync/sdk";
import type { CliOutput } from "./cliIo.js";
import { ExitCode, exitCodeFor, type ExitCodeValue } from "./exitCodes.js";
import { UsageError } from "./usageError.js";

/** How {@link reportError} prints. */
export interface ReportErrorOptions {
  /** JSON on stdout (`--json`) instead of lines on stderr. */
  readonly json: boolean;
  /** The command that failed, for the pointer to its help; empty for the main command line. */
  readonly command: string;
  /** Ctrl+C aborted the run: an `aborted` failure is reported as the interruption. */
  readonly interrupted: boolean;
}

/**
 * Prints a failure for a person (stderr) or a program (JSON on stdout) and returns the exit code.
 * In JSON every failure has one shape, a GraphSyncError's toJSON(): a wrong command line is a
 * `validation` error with the code `UsageError`, anything else the CLI did not foresee is `unexpected`.
 */
export function reportError(
  error: unknown,
  output: CliOutput,
  options: ReportErrorOptions,
): ExitCodeValue {
  if (error instanceof UsageError) {
    if (options.json) {
      const usage = new GraphSyncError(error.message, { kind: "validation", code: "UsageError" });
      output.json({ ok: false, exitCode: ExitCode.usage, error: usage.toJSON() });
    } else {
      output.err(`graph-sync: ${error.message}`);
      output.err(`Run "graph-sync help${options.command ? ` ${options.command}` : ""}" for usage.`);
    }
    return ExitCode.usage;
  }
  if (isGraphSyncError(error)) {
    const failure = options.interrupted && error.kind === "aborted" ? asInterruption(error) : forTheCommandLine(error);
    const exitCode = exitCodeFor(failure.kind);
    if (options.json) output.json({ ok: false, exitCode, error: failure.toJSON() });
    else printGraphSyncError(failure, output);
    return exitCode;
  }
  const message = error instanceof Error ? error.message : String(error);
  if (options.json) {
    const unexpected = new GraphSyncError(`Unexpected failure: ${message}`, { kind: "unexpected", code: "Unexpected", cause: error });
    output.json({ ok: false, exitCode: ExitCode.failure, error: unexpected.toJSON() });
  } else {
    output.err(`✖ Unexpected failure: ${message}`);
    if (output.verbose && error instanceof Error && error.stack) output.err(error.stack);
  }
  return ExitCode.failure;
}

/** The CLI aborts the call on Ctrl+C: say what the user did, not the abortSignal the SDK saw. */
function asInterruption(error: GraphSyncError): GraphSyncError {
  const sdkWording = "The call was aborted by the caller's abortSignal";
  const message = error.message.startsWith(sdkWording)
    ? `Interrupted (Ctrl+C)${error.message.slice(sdkWording.length)}`
    : `Interrupted (Ctrl+C): ${error.message}`;
  return new GraphSyncError(message, { ...error, cause: error.cause });
}

/**
 * The SDK words its advice for code (`tlsOptions: { ca }`, a fetch with its own agent); a person at a
 * shell can do neither. For the failures the SDK marks with a `reason`, keep the SDK's statement of
 * what happened (its first sentence, which ends with the error code in parentheses) and give the
 * remedies a command line has.
 */
function forTheCommandLine(error: GraphSyncError): GraphSyncError {
  if (error.reason !== "tls") return error;
  const statement = /^.*?\)\./s.exec(error.message)?.[0] ?? "The TLS certificate of the server is not trusted.";
  return new GraphSyncError(`${statement} ${TLS_ADVICE_FOR_THE_COMMAND_LINE}`, { ...error, cause: error.cause });
}

/** What a CLI user can do about a certificate Node does not trust. */
const TLS_ADVICE_FOR_THE_COMMAND_LINE =
  "If it is the graph-sync emulator, trust its CA: export NODE_EXTRA_CA_CERTS=<the emulator's caCertPath> " +
  "(one of the lines graph-sync-emulator --print-env prints) and run again. Behind a TLS-inspecting proxy, " +
  "export NODE_EXTRA_CA_CERTS=<the proxy's CA file>, or NODE_OPTIONS=--use-system-ca when the proxy's CA is in the system's store.";

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
