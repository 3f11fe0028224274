import { readFile, stat } from "node:fs/promises";
import type { SyncLogger } from "@graph-sync/sdk";
import { redact } from "@graph-sync/sdk/tooling";
import { UsageError } from "./usageError.js";

/** What the CLI talks to; the real process in main.ts, strings in tests. */
export interface CliIo {
  /** Where results go (and `--json`'s document). */
  readonly stdout: { write(text: string): unknown };
  /** Where messages, warnings, log lines and prompts go. */
  readonly stderr: { write(text: string): unknown };
  /** Read by `--credentials-file -`; refused when it is a terminal. */
  readonly stdin: NodeJS.ReadableStream & { isTTY?: boolean };
  /** The environment variables (`AZURE_*`, `GRAPH_SYNC_CREDENTIALS`). */
  readonly env: Readonly<Record<string, string | undefined>>;
}

/** What a command says when a file it reads secrets from cannot be used (the path is shown only where the command chooses). */
export interface SecretFileMessages {
  readonly notAFile: string;
  readonly tooLarge: string;
  readonly missing: string;
  readonly unreadable: (code: string) => string;
}

/**
 * Reads a file that holds secrets (credentials, a client secret): a regular file of at most
 * `maxBytes`, with a warning on stderr when other users can read it. What goes wrong becomes a
 * UsageError worded by the command.
 */
export async function readSecretFile(path: string, maxBytes: number, output: CliOutput, messages: SecretFileMessages): Promise<string> {
  try {
    const info = await stat(path);
    if (!info.isFile()) throw new UsageError(messages.notAFile);
    if (info.size > maxBytes) throw new UsageError(messages.tooLarge);
    if (process.platform !== "win32" && (info.mode & 0o077) !== 0) {
      output.err(`warning: ${path} can be read by other users; restrict it (chmod 600 ${path}).`);
    }
    return await readFile(path, "utf8");
  } catch (error) {
    if (error instanceof UsageError) throw error;
    const code = (error as NodeJS.ErrnoException).code;
    throw new UsageError(code === "ENOENT" ? messages.missing : messages.unreadable(code ?? "error"));
  }
}

/**
 * Reads all of stdin, at most `maxBytes`: a command that reads a secret or a document from a pipe
 * stops at its bound with `tooLarge` (a UsageError) rather than holding whatever comes.
 */
export async function readStdinBounded(stdin: CliIo["stdin"], maxBytes: number, tooLarge: string): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of stdin) {
    const buffer = typeof chunk === "string" ? Buffer.from(chunk) : (chunk as Buffer);
    size += buffer.length;
    if (size > maxBytes) throw new UsageError(tooLarge);
    chunks.push(buffer);
  }
  return Buffer.concat(chunks).toString("utf8");
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
    /** `--verbose`: the SDK's info and verbose log lines are printed too. */
    readonly verbose: boolean,
  ) {}

  /** Also redact these values (the credentials this run read). */
  addSecrets(values: Iterable<string>): void {
    this.secrets.push(...values);
  }

  /** Prints a line on stdout, redacted. */
  out(line = ""): void {
    this.io.stdout.write(`${redact(line, this.secrets)}\n`);
  }

  /** Prints a line on stderr, redacted. */
  err(line = ""): void {
    this.io.stderr.write(`${redact(line, this.secrets)}\n`);
  }

  /** Adds `name` to every JSON document printed from now on, the result's or the error's. */
  addJsonField(name: string, value: unknown): void {
    this.jsonFields[name] = value;
  }

  /** Prints `value` and the fields added with addJsonField as one JSON document on stdout, redacted. */
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
