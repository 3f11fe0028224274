import { mkdir, open, readFile, rm } from "node:fs/promises";
import { join, resolve } from "node:path";

const lockFileName = "emulator.lock";

/** Directories this process holds; a lock file naming our own pid is stale unless listed here. */
const heldByThisProcess = new Set<string>();

/**
 * Takes the data directory for this process, so that two emulators never write the same state.
 * A lock left by a process that no longer runs (for example one that was killed) is taken over.
 * Resolves to the function that releases it.
 */
export async function lockDataDirectory(directory: string): Promise<() => Promise<void>> {
  await mkdir(directory, { recursive: true, mode: 0o700 });
  const key = resolve(directory);
  if (heldByThisProcess.has(key)) throw new Error(`The data directory ${directory} is already in use by an emulator in this process.`);
  const path = join(directory, lockFileName);
  for (let attempt = 0; attempt < 2; attempt += 1) {
    try {
      const handle = await open(path, "wx", 0o600);
      await handle.writeFile(String(process.pid));
      await handle.close();
      heldByThisProcess.add(key);
      return async () => {
        heldByThisProcess.delete(key);
        await rm(path, { force: true });
      };
    } catch (error) {
      if ((error as { code?: unknown }).code !== "EEXIST") throw error;
      const owner = Number((await readFile(path, "utf8").catch(() => "")).trim());
      // Our own pid in the file means a previous run of a process that got the same pid (a container
      // restarted as pid 1, say): this process does not hold it (checked above), so it is stale.
      if (Number.isInteger(owner) && owner > 0 && owner !== process.pid && isRunning(owner)) {
        throw new Error(`The data directory ${directory} is in use by another emulator (process ${owner}).`);
      }
      await rm(path, { force: true });
    }
  }
  throw new Error(`Could not lock the data directory ${directory}.`);
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it exists but belongs to someone else.
    return (error as { code?: unknown }).code === "EPERM";
  }
}
