/**
 * Where the emulator writes human-readable log lines. The CLI sends them to stderr (stdout carries
 * only the JSON line); used as a library the emulator is silent unless given one. Lines never carry
 * secret values: handlers log ids, paths, statuses and error codes only. One function of a line, where
 * the SDK's `SyncLogger` has levels: two shapes, two names.
 */
export type EmulatorLogger = (line: string) => void;

export const silentLogger: EmulatorLogger = () => {};

/**
 * A logger writing each line with an ISO timestamp to `stream`, that never throws and never ends the
 * process: when the stream's reader goes away (a supervisor's pipe closed, `| head` exited), the
 * write fails with EPIPE, reported as an `error` event that would otherwise be uncaught. Logging is
 * a courtesy, so from then on lines are dropped and the emulator carries on serving.
 */
export function streamLogger(stream: NodeJS.WritableStream & { destroyed?: boolean; writable?: boolean }): EmulatorLogger {
  let closed = false;
  ignoreWriteErrors(stream, () => (closed = true));
  return (line) => {
    if (closed || stream.destroyed === true || stream.writable === false) return;
    try {
      stream.write(`${new Date().toISOString()} ${line}\n`);
    } catch {
      closed = true;
    }
  };
}

/**
 * Keeps a failed write to `stream` (EPIPE, a closed terminal) from becoming an uncaught error that
 * ends the process; `onError` learns of it.
 */
export function ignoreWriteErrors(stream: NodeJS.WritableStream, onError: () => void = () => {}): void {
  stream.on("error", onError);
}
