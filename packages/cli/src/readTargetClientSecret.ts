import { readSecretFile, readStdinBounded, type CliIo, type CliOutput } from "./cliIo.js";
import { UsageError } from "./usageError.js";

/** The environment variable that may hold the target application's client secret (for `authorize`). */
export const TARGET_SECRET_ENV_VAR = "GRAPH_SYNC_TARGET_CLIENT_SECRET";

/** A client secret is short; a large input is a wrong file. */
const maxSecretFileBytes = 64 * 1024;

/**
 * The target's client secret from exactly one source: `--client-secret-file <path>`, `-` (stdin) or
 * GRAPH_SYNC_TARGET_CLIENT_SECRET. Never a command-line value: other users can read the process list.
 */
export async function readTargetClientSecret(file: string | undefined, io: CliIo, output: CliOutput): Promise<string> {
  const fromEnv = io.env[TARGET_SECRET_ENV_VAR];
  if (file !== undefined && fromEnv !== undefined && fromEnv !== "") {
    throw new UsageError(`Give the target's client secret one way: --client-secret-file or ${TARGET_SECRET_ENV_VAR}, not both.`);
  }
  let secret: string;
  if (file === "-") {
    if (io.stdin.isTTY) throw new UsageError("--client-secret-file - reads the target's client secret from stdin; pipe it in.");
    secret = await readStdinBounded(io.stdin, maxSecretFileBytes, "The client secret on stdin is larger than 64 KiB; is it the right input?");
  } else if (file !== undefined) {
    secret = await readClientSecretFile(file, output);
  } else if (fromEnv !== undefined && fromEnv !== "") {
    secret = fromEnv;
  } else {
    throw new UsageError(
      `No client secret for the target. Set ${TARGET_SECRET_ENV_VAR}, or pass --client-secret-file <path> (or - for stdin): ` +
        "the secret the target application issued with --client-id.",
    );
  }
  secret = secret.replace(/\r?\n$/, "");
  if (secret.trim() === "") throw new UsageError("The target's client secret is empty; check the file or the variable.");
  return secret;
}

function readClientSecretFile(path: string, output: CliOutput): Promise<string> {
  // The value is not echoed: it may be the secret itself typed where the path belongs.
  return readSecretFile(path, maxSecretFileBytes, output, {
    notAFile: "The --client-secret-file path is not a file.",
    tooLarge: "The --client-secret-file is larger than 64 KiB; is it the right file?",
    missing: "The file given with --client-secret-file does not exist (the value is not shown, in case it is the secret itself).",
    unreadable: (code) => `Cannot read the file given with --client-secret-file (${code}).`,
  });
}

