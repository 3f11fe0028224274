import { resolve } from "node:path";
import type { SynchronizationSecretEntry } from "@graph-sync/sdk";
import { parseCredentialsJson, validateCredentials } from "@graph-sync/sdk/tooling";
import { readSecretFile, readStdinBounded, type CliIo, type CliOutput } from "./cliIo.js";
import { UsageError } from "./usageError.js";

/** The environment variable that may hold the credentials JSON. */
export const CREDENTIALS_ENV_VAR = "GRAPH_SYNC_CREDENTIALS";

/** Credentials files are small; a huge input is a mistake (a wrong file), not a secret list. */
const MAX_INPUT_BYTES = 1024 * 1024;

/**
 * Reads the credentials JSON from exactly one source: `--credentials-file <path>`,
 * `--credentials-file -` (stdin) or the GRAPH_SYNC_CREDENTIALS environment variable. Never from
 * a command-line value: other users of the machine can read a process's arguments.
 */
export async function readCredentialsInput(file: string | undefined, io: CliIo, output: CliOutput): Promise<unknown> {
  const fromEnv = io.env[CREDENTIALS_ENV_VAR];
  if (file !== undefined && fromEnv !== undefined && fromEnv !== "") {
    throw new UsageError(`Give the credentials one way: --credentials-file or ${CREDENTIALS_ENV_VAR}, not both.`);
  }
  if (file === "-") return parseCredentialsJson(await readStdin(io.stdin), "stdin");
  if (file !== undefined) return parseCredentialsJson(await readCredentialsFile(file, output), `credentials file ${file}`);
  if (fromEnv !== undefined && fromEnv !== "") {
    if (Buffer.byteLength(fromEnv) > MAX_INPUT_BYTES) throw new UsageError(`${CREDENTIALS_ENV_VAR} is larger than 1 MiB; is it the right value?`);
    return parseCredentialsJson(fromEnv, CREDENTIALS_ENV_VAR);
  }
  throw new UsageError(
    "No credentials given. Put them in a JSON file and pass --credentials-file <path>, pipe them with --credentials-file -, " +
      `or set ${CREDENTIALS_ENV_VAR}. For example: {"Oauth2AuthorizationCode": "<code>", "Oauth2RedirectUri": "<redirect uri>"}`,
  );
}

/**
 * The credentials from their one source, validated; from now on their values are redacted from
 * everything `output` prints.
 */
export async function readCredentials(file: string | undefined, io: CliIo, output: CliOutput): Promise<SynchronizationSecretEntry[]> {
  const credentials = validateCredentials(await readCredentialsInput(file, io, output));
  output.addSecrets(credentials.map(({ value }) => value));
  return credentials;
}

function readCredentialsFile(path: string, output: CliOutput): Promise<string> {
  return readSecretFile(path, MAX_INPUT_BYTES, output, {
    notAFile: `The credentials file ${path} is not a file.`,
    tooLarge: `The credentials file ${path} is larger than 1 MiB; is it the right file?`,
    missing: missingFileMessage(path),
    unreadable: (code) => `Cannot read the credentials file ${path} (${code}).`,
  });
}

/**
 * A missing file is named with its resolved path when the value looks like a file name (ends in
 * .json), so a typo is easy to spot; any other value is not echoed, since it may be a secret typed
 * where the path belongs.
 */
function missingFileMessage(path: string): string {
  return /\.jsonc?$/i.test(path)
    ? `The credentials file ${path} does not exist (looked for ${resolve(path)}).`
    : "The credentials file given with --credentials-file does not exist (the value is not shown, in case it is a secret typed in its place; a file name ending in .json is shown).";
}

async function readStdin(stdin: CliIo["stdin"]): Promise<string> {
  if (stdin.isTTY) {
    throw new UsageError("--credentials-file - reads the credentials JSON from stdin; pipe it in (… | graph-sync acquire-token …).");
  }
  return readStdinBounded(stdin, MAX_INPUT_BYTES, "The credentials on stdin are larger than 1 MiB; is it the right input?");
}
