import { readFile } from "node:fs/promises";
import { writeFileAtomically } from "./atomicFile.js";

/**
 * A JSON document on disk written with group commit.
 *
 * Callers mutate the in-memory state, then `await persist()` before acknowledging. When a write is
 * already in flight, later callers share the next write instead of queueing one each, so under load
 * the file is rewritten at most once per fsync round-trip while every acknowledged change is on disk
 * by the time its `persist()` resolves.
 */
export class DurableDocument<T> {
  private inFlight: Promise<void> | undefined;
  private next: Promise<void> | undefined;

  constructor(
    private readonly path: string,
    private readonly snapshot: () => T,
  ) {}

  /** Reads the document, or `undefined` when the file does not exist yet. */
  static async read<T>(path: string): Promise<T | undefined> {
    let text: string;
    try {
      text = await readFile(path, "utf8");
    } catch (error) {
      if ((error as { code?: unknown }).code === "ENOENT") return undefined;
      throw error;
    }
    return JSON.parse(text) as T;
  }

  /** Resolves once a write that started after this call has reached the disk. */
  persist(): Promise<void> {
    if (!this.inFlight) {
      this.inFlight = this.write().finally(() => {
        this.inFlight = undefined;
      });
      return this.inFlight;
    }
    // A write is running, but it may have taken its snapshot before the caller's change: join (or
    // start) the write that follows it.
    this.next ??= this.inFlight
      .catch(() => undefined)
      .then(() => {
        this.next = undefined;
        return this.persist();
      });
    return this.next;
  }

  private async write(): Promise<void> {
    const text = `${JSON.stringify(this.snapshot())}\n`;
    await writeFileAtomically(this.path, text);
  }
}
