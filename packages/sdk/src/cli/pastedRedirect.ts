import type { CliIo } from "./cliIo.js";
import { UsageError } from "./usageError.js";

/** A redirect address is a URL with a code and a state; anything much longer is a wrong paste. */
const maxPastedLength = 16 * 1024;

/**
 * Reads the address the browser ended on, for a redirect URI the command cannot listen on (the
 * portal's `https://portal.azure.com/TokenAuthorize`). From a terminal it is read without echo, as
 * a password is, since it holds the code; from a pipe (not a terminal), the first non-empty line.
 * Bounded by `signal` (the --timeout and Ctrl+C) and by its length.
 */
export async function readPastedRedirect(io: CliIo, signal: AbortSignal): Promise<string> {
  const stdin = io.stdin as CliIo["stdin"] & { setRawMode?: (raw: boolean) => unknown };
  return stdin.isTTY && typeof stdin.setRawMode === "function" ? readWithoutEcho(stdin, io, signal) : readFirstLine(stdin, signal);
}

function readWithoutEcho(stdin: CliIo["stdin"] & { setRawMode?: (raw: boolean) => unknown }, io: CliIo, signal: AbortSignal): Promise<string> {
  return new Promise((resolve, reject) => {
    let typed = "";
    const finish = (outcome: () => void) => {
      stdin.setRawMode?.(false);
      stdin.off("data", onData);
      signal.removeEventListener("abort", onAbort);
      stdin.pause();
      io.stderr.write("\n");
      outcome();
    };
    const onAbort = () => finish(() => reject(signal.reason));
    const onData = (chunk: Buffer | string) => {
      for (const character of chunk.toString()) {
        if (character === "\u0003") {
          // Raw mode turns Ctrl+C into a character: treat it as the signal it would have been.
          finish(() => reject(new InterruptedPaste()));
          return;
        }
        if (character === "\r" || character === "\n") {
          if (typed.trim() === "") continue;
          finish(() => resolve(typed));
          return;
        }
        if (character === "\u007f" || character === "\b") typed = typed.slice(0, -1);
        else typed += character;
        if (typed.length > maxPastedLength) {
          finish(() => reject(new UsageError("The pasted text is longer than 16 KiB; paste only the address from the browser's address bar.")));
          return;
        }
      }
    };
    if (signal.aborted) {
      reject(signal.reason);
      return;
    }
    signal.addEventListener("abort", onAbort, { once: true });
    stdin.setRawMode?.(true);
    stdin.on("data", onData);
    stdin.resume();
  });
}

async function readFirstLine(stdin: CliIo["stdin"], signal: AbortSignal): Promise<string> {
  let buffered = "";
  const aborted = new Promise<never>((_resolve, reject) => {
    if (signal.aborted) reject(signal.reason);
    signal.addEventListener("abort", () => reject(signal.reason), { once: true });
  });
  aborted.catch(() => undefined);
  const iterator = stdin[Symbol.asyncIterator]();
  try {
    for (;;) {
      const next = await Promise.race([iterator.next(), aborted]);
      if (next.done) break;
      buffered += typeof next.value === "string" ? next.value : (next.value as Buffer).toString("utf8");
      const line = buffered.split(/\r?\n/).find((candidate, index, lines) => candidate.trim() !== "" && index < lines.length - 1);
      if (line !== undefined) return line;
      if (buffered.length > maxPastedLength) throw new UsageError("The input is longer than 16 KiB without a line break; give only the address the browser ended on.");
    }
  } finally {
    void iterator.return?.();
  }
  if (buffered.trim() !== "") return buffered;
  throw new UsageError("stdin ended without the address the browser ended on. Paste it at the prompt, or pipe it in on one line.");
}

/** Ctrl+C at the paste prompt (the terminal delivers it as a character there, not as SIGINT). */
export class InterruptedPaste extends Error {
  override readonly name = "InterruptedPaste";
  constructor() {
    super("Interrupted (Ctrl+C) at the paste prompt: nothing was sent to Graph.");
  }
}
