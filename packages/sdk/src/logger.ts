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
  /** Receives a line per attempt with its outcome, and waits for Graph's throttling window: detail for diagnosing a call. */
  verbose?(message: string): void;
  /** Receives a line per retry with its wait, and one when the SDK gives up retrying. */
  info?(message: string): void;
  /** Receives what the caller should act on, such as Graph's deprecation notice for beta. */
  warning?(message: string): void;
}

/** The default: warnings go to stderr, nothing else is printed. */
export const defaultLogger: SyncLogger = {
  warning: (message) => console.warn(message),
};

/**
 * The SDK's internal view of a logger: every level callable, every line prefixed and redacted.
 * Check `…Enabled` before building a line: when nobody listens at that level (the default for
 * `verbose` and `info`), the SDK does not spend time formatting it.
 */
export interface SdkLogger {
  /** Whether the caller's logger has a `verbose` method, i.e. whether a verbose line is worth building. */
  readonly verboseEnabled: boolean;
  /** Whether the caller's logger has an `info` method. */
  readonly infoEnabled: boolean;
  /** Whether the caller's logger has a `warning` method. */
  readonly warningEnabled: boolean;
  /** Passes the line, prefixed and redacted, to the caller's `verbose`; nothing when it has none. */
  verbose(message: string): void;
  /** Passes the line, prefixed and redacted, to the caller's `info`; nothing when it has none. */
  info(message: string): void;
  /** Passes the line, prefixed and redacted, to the caller's `warning`; nothing when it has none. */
  warning(message: string): void;
}

/** Starts every line the SDK logs, so its lines stand out among an application's own. */
export const LOG_PREFIX = "graph-sync:";

/** One call's logger: redacts that call's secret values (and every registered one). */
class CallLogger implements SdkLogger {
  readonly verboseEnabled: boolean;
  readonly infoEnabled: boolean;
  readonly warningEnabled: boolean;

  constructor(
    private readonly logger: SyncLogger,
    private readonly secrets: readonly string[],
  ) {
    this.verboseEnabled = typeof logger.verbose === "function";
    this.infoEnabled = typeof logger.info === "function";
    this.warningEnabled = typeof logger.warning === "function";
  }

  verbose(message: string): void {
    if (this.verboseEnabled) this.emit(this.logger.verbose, message);
  }

  info(message: string): void {
    if (this.infoEnabled) this.emit(this.logger.info, message);
  }

  warning(message: string): void {
    if (this.warningEnabled) this.emit(this.logger.warning, message);
  }

  private emit(sink: ((message: string) => void) | undefined, message: string): void {
    if (typeof sink !== "function") return;
    // A logger that throws must not turn a successful call into a failure.
    try {
      sink.call(this.logger, `${LOG_PREFIX} ${redact(message, this.secrets)}`);
    } catch {
      /* ignored on purpose */
    }
  }
}

/**
 * The logger of one call: `logger`'s lines (the default logger's when none is given), prefixed, with
 * `secrets` and every registered secret redacted. A logger method that throws is ignored, never the call's failure.
 */
export function createSdkLogger(logger: SyncLogger = defaultLogger, secrets: readonly string[] = []): SdkLogger {
  return new CallLogger(logger, secrets);
}
