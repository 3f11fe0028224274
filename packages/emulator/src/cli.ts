#!/usr/bin/env node
// The graph-sync-emulator command: starts the emulator, prints one JSON line with its facts on
// stdout when ready, logs to stderr, and stops cleanly on SIGINT/SIGTERM.
import { CommandLineError, parseCommandLine, usage, withDefaultPorts } from "./cli/commandLine.js";
import type { ConfigFileSettings } from "./cli/configFile.js";
import { exportLines } from "./cli/exportLines.js";
import { packageVersion } from "./cli/packageVersion.js";
import { ignoreWriteErrors, silentLogger, streamLogger } from "./logger.js";

async function main(args: string[]): Promise<number> {
  // A reader of stdout or stderr that goes away must not end the emulator: the lines it misses are
  // only the JSON line it already read, or log lines.
  ignoreWriteErrors(process.stdout);
  ignoreWriteErrors(process.stderr);
  const commandLine = parseCommandLine(args);
  if (commandLine.command === "help") {
    process.stdout.write(usage);
    return 0;
  }
  if (commandLine.command === "version") {
    process.stdout.write(`${packageVersion()}\n`);
    return 0;
  }
  // Loaded only when starting: --help, --version and usage errors answer without loading the
  // emulator (certificates, validation, JWT libraries), which takes a noticeable moment.
  const [{ readConfigFile, readSeedFile }, { startEmulator }] = await Promise.all([import("./cli/configFile.js"), import("./emulator.js")]);
  const fromFile = commandLine.configFile ? await readConfigFile(commandLine.configFile) : {};
  const settings = withDefaultPorts(mergeSettings(fromFile, commandLine.settings));
  // --seed replaces a config file's seed.
  if (commandLine.seedFile) settings.seed = await readSeedFile(commandLine.seedFile);

  // Listen for signals before anything is printed: a supervisor may signal as soon as it has read
  // the JSON line, and a signal that arrives before its handler exists would kill the process
  // without closing the emulator.
  let stopSignal: NodeJS.Signals | undefined;
  const stopRequested = new Promise<void>((resolve) => {
    const onSignal = (signal: NodeJS.Signals) => {
      // A second signal while closing: the user insists.
      if (stopSignal) process.exit(1);
      stopSignal = signal;
      resolve();
    };
    process.on("SIGINT", onSignal);
    process.on("SIGTERM", onSignal);
  });

  const stderrLogger = streamLogger(process.stderr);
  const logger = commandLine.quiet ? silentLogger : stderrLogger;
  // --quiet drops the log, not security warnings: a user who silenced the log must still learn
  // that a file holding secrets was readable by others.
  const emulator = await startEmulator({ ...settings, logger, securityLogger: stderrLogger });
  if (!stopSignal) {
    const { caCertPem: _caCertPem, admin: _admin, getAuthorizationCode: _get, close: _close, ...facts } = emulator;
    process.stdout.write(`${JSON.stringify(facts)}\n`);
    if (commandLine.printEnv !== "no") process.stdout.write(exportLines(facts, { withSecret: commandLine.printEnv === "with-secret" }));
  }
  await stopRequested;
  logger(`${stopSignal} received, stopping`);
  await emulator.close();
  return 0;
}

/** Flags override the config file, field by field, also inside the nested settings. */
function mergeSettings(file: ConfigFileSettings, flags: ConfigFileSettings): ConfigFileSettings {
  const merged: ConfigFileSettings = { ...file, ...flags };
  if (file.throttling || flags.throttling) merged.throttling = { ...file.throttling, ...flags.throttling };
  if (file.access || flags.access) merged.access = { ...file.access, ...flags.access };
  if (file.faults || flags.faults) {
    merged.faults = { ...file.faults, ...flags.faults };
    if (file.faults?.latency || flags.faults?.latency) merged.faults.latency = { ...file.faults?.latency, ...flags.faults?.latency };
  }
  return merged;
}

main(process.argv.slice(2)).then(
  (exitCode) => {
    process.exitCode = exitCode;
  },
  (error: unknown) => {
    // Usage errors and invalid settings (a config file that does not validate) exit 2.
    const expected = error instanceof CommandLineError || (error instanceof Error && (error.name === "InvalidPayloadError" || error.name === "SeedError"));
    process.stderr.write(`graph-sync-emulator: ${error instanceof Error ? error.message : String(error)}\n`);
    if (error instanceof CommandLineError) process.stderr.write("Run with --help for the options.\n");
    process.exitCode = expected ? 2 : 1;
  },
);
