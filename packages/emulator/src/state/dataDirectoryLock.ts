import { randomBytes } from "node:crypto";
import { link, mkdir, open, readFile, rename, rm, stat, writeFile } from "node:fs/promises";
import { join, resolve } from "node:path";

const lockFileName = "emulator.lock";
/** How many times contention is retried before giving up; each round takes milliseconds. */
const maxAttempts = 50;
/** A take-over that has been in progress this long was abandoned (its process died half-way). */
const abandonedTakeOverInMs = 10_000;

/** Directories this process holds; a lock file naming our own pid is stale unless listed here. */
const heldByThisProcess = new Set<string>();

/**
 * Takes the data directory for this process, so that two emulators never write the same state.
 * A lock left by a process that no longer runs (for example one that was killed) is taken over.
 * Resolves to the function that releases it.
 *
 * Every step is atomic, so that emulators started at the same moment cannot both win:
 * - the lock file appears complete (pid and a random token), by `link`ing a fully written temporary
 *   file to its name, which fails if it exists; nobody ever reads a half-written lock;
 * - a stale lock is replaced only by the process that first creates a take-over marker named after
 *   that lock's token (`wx`, exclusive), and only after it re-reads the lock and still finds that
 *   token. The token is unique to one acquisition, and a stale lock changes only through its marker's
 *   holder, so no one can replace a lock another emulator has just taken.
 */
export async function lockDataDirectory(directory: string): Promise<() => Promise<void>> {
  const key = resolve(directory);
  if (heldByThisProcess.has(key)) throw new Error(`The data directory ${directory} is already in use by an emulator in this process.`);
  // Claimed before the first await, so that two starts in this process at once cannot both proceed.
  heldByThisProcess.add(key);
  try {
    const path = join(directory, lockFileName);
    const content = `${process.pid}\n${randomBytes(12).toString("hex")}\n`;
    await mkdir(directory, { recursive: true, mode: 0o700 });
    await acquire(directory, path, content);
    return async () => {
      heldByThisProcess.delete(key);
      // Only our own lock is removed, should it ever have been replaced.
      if ((await readLock(path)) === content) await rm(path, { force: true });
    };
  } catch (error) {
    heldByThisProcess.delete(key);
    throw error;
  }
}

async function acquire(directory: string, path: string, content: string): Promise<void> {
  for (let attempt = 0; attempt < maxAttempts; attempt += 1) {
    if (await createExclusively(path, content)) return;
    const existing = await readLock(path);
    if (existing === undefined) continue; // released in the meantime: try again
    const owner = ownerOf(existing);
    // Our own pid in the file means a previous run of a process that got the same pid (a container
    // restarted as pid 1, say): this process does not hold it (checked above), so it is stale.
    if (owner !== undefined && owner !== process.pid && isRunning(owner)) {
      throw new Error(`The data directory ${directory} is in use by another emulator (process ${owner}).`);
    }
    const outcome = await takeOver(path, existing, content);
    if (outcome === "taken") return;
    if (outcome === "busy") await pause(5 + Math.random() * 20);
  }
  throw new Error(`Could not lock the data directory ${directory}: other processes keep taking and releasing it.`);
}

/** Creates `path` with `content`, complete at once; false if it exists. */
async function createExclusively(path: string, content: string): Promise<boolean> {
  const temporary = `${path}.${randomBytes(6).toString("hex")}.tmp`;
  await writeFile(temporary, content, { mode: 0o600 });
  try {
    await link(temporary, path);
    return true;
  } catch (error) {
    if ((error as { code?: unknown }).code === "EEXIST") return false;
    throw error;
  } finally {
    await rm(temporary, { force: true });
  }
}

/**
 * Replaces the stale lock `stale` with `content`, if this process is the one to take it over:
 * "taken", "lost" (the lock changed: look again), or "busy" (another process is taking it over).
 */
async function takeOver(path: string, stale: string, content: string): Promise<"taken" | "lost" | "busy"> {
  const marker = `${path}.takeover-${tokenOf(stale)}`;
  let handle;
  try {
    handle = await open(marker, "wx", 0o600);
  } catch (error) {
    if ((error as { code?: unknown }).code !== "EEXIST") throw error;
    // A process that died half-way through a take-over leaves its marker behind.
    const markedAt = await stat(marker).then((stats) => stats.mtimeMs, () => undefined);
    if (markedAt !== undefined && Date.now() - markedAt > abandonedTakeOverInMs) await rm(marker, { force: true });
    return "busy";
  }
  try {
    await handle.close();
    // Re-check with the marker held: only its holder may replace a lock with this token.
    if ((await readLock(path)) !== stale) return "lost";
    const temporary = `${path}.${randomBytes(6).toString("hex")}.tmp`;
    await writeFile(temporary, content, { mode: 0o600 });
    await rename(temporary, path);
    return "taken";
  } finally {
    // A later process that still saw the stale token finds the lock changed and looks again.
    await rm(marker, { force: true });
  }
}

async function readLock(path: string): Promise<string | undefined> {
  try {
    return await readFile(path, "utf8");
  } catch (error) {
    if ((error as { code?: unknown }).code === "ENOENT") return undefined;
    throw error;
  }
}

/** The pid on the lock's first line; undefined when there is none (an empty or foreign file). */
function ownerOf(lock: string): number | undefined {
  const pid = Number(lock.split("\n", 1)[0]?.trim());
  return Number.isInteger(pid) && pid > 0 ? pid : undefined;
}

/** Names a lock's take-over marker: its token, or for a lock written by an older emulator (a pid only), that pid. */
function tokenOf(lock: string): string {
  const token = lock.split("\n")[1]?.trim();
  return token && /^[0-9a-f]+$/.test(token) ? token : `pid-${ownerOf(lock) ?? "none"}`;
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

function pause(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
