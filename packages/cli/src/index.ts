/**
 * The graph-sync CLI's building blocks, for commands that live beside it (the repository's demo
 * is one); the `graph-sync` bin itself runs `main.ts`. They behave as in `graph-sync` itself:
 * output that redacts every secret it has seen, exit codes per kind of failure, command lines
 * parsed without echoing a value that could be a secret, credentials read from a file, stdin or
 * GRAPH_SYNC_CREDENTIALS.
 *
 * @packageDocumentation
 */
export { CliOutput, type CliIo } from "./cliIo.js";
export { graphRootOf, parseCloud } from "./commonOptions.js";
export { ExitCode, exitCodeFor, type ExitCodeValue } from "./exitCodes.js";
export { EXIT_CODES_HELP } from "./help.js";
export { parseCommandLine, type OptionSpecs } from "./parseCommandLine.js";
export { CREDENTIALS_ENV_VAR, readCredentials } from "./readCredentialsInput.js";
export { reportError, type ReportErrorOptions } from "./reportError.js";
export { targetFromArguments } from "./acquireTokenCommand.js";
export { UsageError } from "./usageError.js";
