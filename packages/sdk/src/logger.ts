import { redact } from "./errors/redaction.js";

/**
 * Where the SDK reports what it does. Every method is optional; a missing one drops those lines.
 * Lines never contain secret values: they are redacted before they reach the logger.
 *
 * - `warning`: something the caller should act on (Graph's deprecation notice for beta).
 * - `info`: retries and their waits.
 * - `verbose`: every attempt with its outcome.
 */
export interface SyncLogger {
  verbose?(message: string): void;
  info?(message: string): void;
  warning?(message: string): void;
}

/** The default: warnings go to stderr, nothing else is printed. */
export const defaultLogger: SyncLogger = {
  warning: (message) => console.warn(message),
};

/** The SDK's internal view of a logger: every level callable, every line prefixed and redacted. */
export interface SdkLogger {
  verbose(message: string): void;
  info(message: string): void;
  warning(message: string): void;
}

export const LOG_PREFIX = "graph-sync:";

export function createSdkLogger(logger: SyncLogger = defaultLogger, secrets: readonly string[] = []): SdkLogger {
  const emit = (sink: ((message: string) => void) | undefined, message: string): void => {
    if (!sink) return;
    // A logger that throws must not turn a successful call into a failure.
    try {
      sink.call(logger, `${LOG_PREFIX} ${redact(message, secrets)}`);
    } catch {
      /* ignored on purpose */
    }
  };
  return {
    verbose: (message) => emit(logger.verbose, message),
    info: (message) => emit(logger.info, message),
    warning: (message) => emit(logger.warning, message),
  };
}
