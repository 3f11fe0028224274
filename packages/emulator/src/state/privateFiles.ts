import type { Stats } from "node:fs";
import { chmod, lstat } from "node:fs/promises";
import type { EmulatorLogger } from "../logger.js";

/** Read and write for the owner only: what the emulator creates its secret-holding files with. */
const privateMode = 0o600;

/** Something other than a file where the emulator keeps one of its files (a directory, a socket, …). */
export class NotAFileError extends Error {
  override readonly name = "NotAFileError";
}

/**
 * Makes the files that hold secrets (private keys, the state with its client secrets) readable by
 * their owner only, and says so in the log, when they are found readable by others: copied with
 * `cp`, unpacked from an archive, or created under a permissive umask by another tool. Files that do
 * not exist yet are skipped; on Windows, file modes do not describe access, so nothing is done.
 * Something that is not a regular file at one of the paths is refused by name
 * ({@link NotAFileError}) before anything is changed: it is not the emulator's to change.
 */
export async function keepFilesPrivate(paths: readonly string[], logger: EmulatorLogger): Promise<void> {
  const found = await Promise.all(
    paths.map(async (path) => {
      let info: Stats;
      try {
        // lstat: a symbolic link is not followed to a file the emulator did not create.
        info = await lstat(path);
      } catch (error) {
        if ((error as { code?: unknown }).code === "ENOENT") return undefined;
        throw error;
      }
      if (!info.isFile()) {
        throw new NotAFileError(`${path} is ${kindOf(info)}, not a file: the emulator keeps a file of its own there (its state or a private key). Move it away, or give another --data directory; nothing was changed.`);
      }
      return { path, mode: info.mode & 0o777 };
    }),
  );
  // Only once every path is known to be a file (or absent) is anything changed.
  if (process.platform === "win32") return;
  for (const file of found) {
    if (file === undefined || (file.mode & 0o077) === 0) continue;
    await chmod(file.path, privateMode);
    logger(`warning: ${file.path} was readable by other users (mode ${file.mode.toString(8).padStart(4, "0")}); changed it to 0600, as it holds secrets`);
  }
}

function kindOf(info: Stats): string {
  if (info.isDirectory()) return "a directory";
  if (info.isSymbolicLink()) return "a symbolic link";
  if (info.isFIFO()) return "a named pipe";
  if (info.isSocket()) return "a socket";
  return "a device";
}
