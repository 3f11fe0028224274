// The paste prompt of `graph-sync authorize` at a terminal: the subprocess tests give it a pipe, so
// the terminal's raw mode (no echo) is tested here with a stream that says it is a TTY.
import { PassThrough } from "node:stream";
import { describe, expect, test } from "vitest";
import { InterruptedPaste, readPastedRedirect } from "../src/cli/pastedRedirect.js";
import type { CliIo } from "../src/cli/cliIo.js";

function terminal() {
  const stdin = Object.assign(new PassThrough(), { isTTY: true, rawModes: [] as boolean[], setRawMode(raw: boolean) {
    this.rawModes.push(raw);
  } });
  let stderr = "";
  const io: CliIo = { stdin, stdout: { write: () => true }, stderr: { write: (text: string) => (stderr += text) }, env: {} };
  return { stdin, io, stderr: () => stderr };
}

describe("readPastedRedirect at a terminal", () => {
  test("reads in raw mode without echo, honours backspace, and restores the terminal", async () => {
    const { stdin, io, stderr } = terminal();
    const read = readPastedRedirect(io, AbortSignal.timeout(5_000));
    stdin.write("\r");
    stdin.write("https://portal.azure.com/TokenAuthorize?code=secret-code&state=s");
    stdin.write("X\u007f\r");
    await expect(read).resolves.toBe("https://portal.azure.com/TokenAuthorize?code=secret-code&state=s");
    expect(stderr()).toBe("\n");
    expect(stdin.rawModes).toEqual([true, false]);
  });

  test("Ctrl+C (a character in raw mode) interrupts", async () => {
    const { stdin, io } = terminal();
    const read = readPastedRedirect(io, AbortSignal.timeout(5_000));
    stdin.write("https://por\u0003");
    await expect(read).rejects.toBeInstanceOf(InterruptedPaste);
    expect(stdin.rawModes).toEqual([true, false]);
  });

  test("the signal (the --timeout) ends the wait and restores the terminal", async () => {
    const { stdin, io } = terminal();
    const controller = new AbortController();
    const read = readPastedRedirect(io, controller.signal);
    controller.abort(new Error("timed out"));
    await expect(read).rejects.toThrow("timed out");
    expect(stdin.rawModes).toEqual([true, false]);
  });

  test("more than 16 KiB is refused", async () => {
    const { stdin, io } = terminal();
    const read = readPastedRedirect(io, AbortSignal.timeout(5_000));
    stdin.write("x".repeat(17 * 1024));
    await expect(read).rejects.toThrow("longer than 16 KiB");
  });
});

describe("readPastedRedirect from a pipe", () => {
  test("takes the first non-empty line", async () => {
    const stdin = new PassThrough();
    const io: CliIo = { stdin, stdout: { write: () => true }, stderr: { write: () => true }, env: {} };
    const read = readPastedRedirect(io, AbortSignal.timeout(5_000));
    stdin.write("\n  \nhttps://portal.azure.com/TokenAuthorize?code=c&state=s\nnext line");
    await expect(read).resolves.toBe("https://portal.azure.com/TokenAuthorize?code=c&state=s");
  });

  test("a pipe that ends empty says what to give", async () => {
    const stdin = new PassThrough();
    const io: CliIo = { stdin, stdout: { write: () => true }, stderr: { write: () => true }, env: {} };
    const read = readPastedRedirect(io, AbortSignal.timeout(5_000));
    stdin.end("");
    await expect(read).rejects.toThrow("stdin ended without the address the browser ended on");
  });
});
