import { readFile, stat } from "node:fs/promises";
import { parseBoundedJson, UnreadableJsonError } from "../boundedJson.js";
import { writeFileAtomically } from "./atomicFile.js";

/** A change was undone because the write that was to make it durable, or an earlier one, failed. */
export class ChangeNotDurableError extends Error {
  override readonly name = "ChangeNotDurableError";
}

/** A saved document that cannot be used: damaged, edited into a wrong shape, or too large. */
export class UnreadableDocumentError extends Error {
  override readonly name = "UnreadableDocumentError";
}

/** Far more than any state the emulator writes (codes are pruned), and little enough to read at once. */
const maxDocumentSizeInBytes = 256 * 1024 * 1024;
const fixIt = "Repair it, or move it away to start with a new state.";

/**
 * A JSON document on disk written with group commit, whose in-memory form never keeps a change that
 * failed to reach the disk.
 *
 * Callers change the in-memory state, then call `persist()` in the same synchronous step and await
 * it before acknowledging. When a write is already in flight, later callers share the next write
 * instead of queueing one each, so under load the file is rewritten at most once per fsync
 * round-trip, and every acknowledged change is on disk by the time its `persist()` resolves.
 *
 * When a write fails, the in-memory state is restored to the last document known to be on disk, and
 * every caller whose change is thereby undone is rejected: those that shared the failed write and
 * those already waiting for the next one (their changes were made on top of the undone state).
 */
export class DurableDocument<T> {
  private inFlight: Promise<void> | undefined;
  private next: Promise<void> | undefined;
  /** Counts roll-backs: a change made before one is gone, even if a later write succeeds. */
  private rollbacks = 0;

  constructor(
    private readonly path: string,
    private readonly snapshot: () => T,
    private readonly restore: (document: T) => void,
    /** The document as it is on disk now (what a failed write rolls back to). */
    private durable: T,
  ) {}

  /**
   * Reads the document, or `undefined` when the file does not exist yet. `validate` returns the
   * parsed value typed, or throws naming what is wrong. Whatever fails, the error names the file and
   * never quotes it: the document holds secrets, and a parse error's usual message quotes the text.
   */
  static async read<T>(path: string, validate: (value: unknown) => T): Promise<T | undefined> {
    let text: string;
    try {
      const size = (await stat(path)).size;
      if (size > maxDocumentSizeInBytes) {
        throw new UnreadableDocumentError(`${path} is ${size} bytes, more than the ${maxDocumentSizeInBytes} bytes the emulator reads. ${fixIt}`);
      }
      text = await readFile(path, "utf8");
    } catch (error) {
      if ((error as { code?: unknown }).code === "ENOENT") return undefined;
      throw error;
    }
    let value: unknown;
    try {
      value = parseBoundedJson(text);
    } catch (error) {
      if (!(error instanceof UnreadableJsonError)) throw error;
      throw new UnreadableDocumentError(`${path} is ${error.message}. ${fixIt}`);
    }
    try {
      return validate(value);
    } catch (error) {
      throw new UnreadableDocumentError(`${path} is not a valid emulator state: ${(error as Error).message}. ${fixIt}`);
    }
  }

  /**
   * Resolves once the in-memory state as of this call is on disk; rejects when that change was
   * rolled back instead (with the write's error, or {@link ChangeNotDurableError}).
   */
  async persist(): Promise<void> {
    const rollbacksBefore = this.rollbacks;
    await this.scheduleWrite();
    if (this.rollbacks !== rollbacksBefore) {
      throw new ChangeNotDurableError("The change was undone because an earlier write of the emulator's state failed.");
    }
  }

  private scheduleWrite(): Promise<void> {
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
        return this.scheduleWrite();
      });
    return this.next;
  }

  private async write(): Promise<void> {
    const document = this.snapshot();
    try {
      await writeFileAtomically(this.path, `${JSON.stringify(document)}\n`);
    } catch (error) {
      this.rollbacks += 1;
      this.restore(this.durable);
      throw error;
    }
    this.durable = document;
  }
}
