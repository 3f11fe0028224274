import { chmod, stat } from "node:fs/promises";
import type { EmulatorLogger } from "../logger.js";

/** Read and write for the owner only: what the emulator creates its secret-holding files with. */
const privateMode = 0o600;

/**
 * Makes the files that hold secrets (private keys, the state with its client secrets) readable by
 * their owner only, and says so in the log, when they are found readable by others: copied with
 * `cp`, unpacked from an archive, or created under a permissive umask by another tool. Files that do
 * not exist yet are skipped; on Windows, file modes do not describe access, so nothing is done.
 */
export async function keepFilesPrivate(paths: readonly string[], logger: EmulatorLogger): Promise<void> {
  if (process.platform === "win32") return;
  await Promise.all(
    paths.map(async (path) => {
      let mode: number;
      try {
        mode = (await stat(path)).mode & 0o777;
      } catch (error) {
        if ((error as { code?: unknown }).code === "ENOENT") return;
        throw error;
      }
      if ((mode & 0o077) === 0) return;
      await chmod(path, privateMode);
      logger(`warning: ${path} was readable by other users (mode ${mode.toString(8).padStart(4, "0")}); changed it to 0600, as it holds secrets`);
    }),
  );
}
