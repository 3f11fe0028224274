/**
 * Where the emulator writes human-readable log lines. The CLI sends them to stderr (stdout carries
 * only the JSON line); used as a library the emulator is silent unless given one. Lines never carry
 * secret values: handlers log ids, paths, statuses and error codes only.
 */
export type Logger = (line: string) => void;

export const silentLogger: Logger = () => {};

/** Writes each line to stderr with an ISO timestamp. */
export const stderrLogger: Logger = (line) => {
  process.stderr.write(`${new Date().toISOString()} ${line}\n`);
};
