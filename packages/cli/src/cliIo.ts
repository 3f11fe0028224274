import { redact } from "../errors/redaction.js";
import type { SyncLogger } from "../logger.js";

/** What the CLI talks to; the real process in main.ts, strings in tests. */
export interface CliIo {
  readonly stdout: { write(text: string): unknown };
  readonly stderr: { write(text: string): unknown };
  readonly stdin: NodeJS.ReadableStream & { isTTY?: boolean };
  readonly env: Readonly<Record<string, string | undefined>>;
}

/**
 * All CLI output goes through here and is redacted: the registered secrets (client secret, tokens)
 * plus the credential values this run read. Nothing the CLI prints can carry a secret.
 */
export class CliOutput {
  private readonly secrets: string[] = [];
  /** Fields every JSON document of this run carries (the request-ids of acquire-token). */
  private readonly jsonFields: Record<string, unknown> = {};

  constructor(
    private readonly io: CliIo,
    readonly verbose: boolean,
  ) {}

  /** Also redact these values (the credentials this run read). */
  addSecrets(values: Iterable<string>): void {
    this.secrets.push(...values);
  }

  out(line = ""): void {
    this.io.stdout.write(`${redact(line, this.secrets)}\n`);
  }

  err(line = ""): void {
    this.io.stderr.write(`${redact(line, this.secrets)}\n`);
  }

  /** Adds `name` to every JSON document printed from now on, the result's or the error's. */
  addJsonField(name: string, value: unknown): void {
    this.jsonFields[name] = value;
  }

  json(value: Record<string, unknown>): void {
    this.out(JSON.stringify({ ...value, ...this.jsonFields }, null, 2));
  }

  /** The SDK's log lines: warnings always, retries and attempts with --verbose; on stderr. */
  logger(): SyncLogger {
    return {
      warning: (line) => this.err(line),
      ...(this.verbose && { info: (line: string) => this.err(line), verbose: (line: string) => this.err(line) }),
    };
  }
}
