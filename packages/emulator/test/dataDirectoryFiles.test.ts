// What the emulator does with what it finds in its data directory, through the real CLI process:
// something that is not a file where it keeps one of its files is refused by name and left as it
// was (no mode changed, nothing created beside it), and files holding secrets that others could
// read are made private with a warning that --quiet does not hide.
import { chmodSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { runCli, startCli } from "./support/cliProcess.js";

const scratch = mkdtempSync(join(tmpdir(), "emulator-data-files-test-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** Every entry under `dir`, with its mode: what a run must leave as it found. */
function snapshot(dir: string): Record<string, string> {
  const entries: Record<string, string> = {};
  const walk = (relative: string) => {
    for (const name of readdirSync(join(dir, relative))) {
      const path = join(relative, name);
      const info = statSync(join(dir, path));
      entries[path] = `${info.isDirectory() ? "dir" : "file"} ${(info.mode & 0o777).toString(8)}`;
      if (info.isDirectory()) walk(path);
    }
  };
  walk("");
  return entries;
}

describe("something that is not a file where the emulator keeps one", () => {
  it.each([
    ["state.json", "state.json"],
    ["the signing key", join("keys", "signing-key.pem")],
  ])("%s as a directory: refused by name, exit 1, the directory and everything around it untouched", async (_name, relative) => {
    const dataDir = join(scratch, `not-a-file-${relative.replace(/\W/g, "-")}`);
    mkdirSync(join(dataDir, relative), { recursive: true, mode: 0o755 });
    chmodSync(join(dataDir, relative), 0o755);
    writeFileSync(join(dataDir, relative, "kept.txt"), "someone else's\n", { mode: 0o644 });
    const before = snapshot(dataDir);

    const run = await runCli(["--port", "0", "--data", dataDir]);
    expect(run.exitCode).toBe(1);
    expect(run.stderr).toContain(
      `graph-sync-emulator: ${join(dataDir, relative)} is a directory, not a file: the emulator keeps a file of its own there (its state or a private key). Move it away, or give another --data directory; nothing was changed.`,
    );
    expect(run.stderr).not.toContain("EISDIR");
    expect(run.stdout).toBe("");
    expect(snapshot(dataDir)).toEqual(before);
  });
});

describe("--quiet", () => {
  it("still prints the warning that files holding secrets were readable by others and were made private", async () => {
    const dataDir = join(scratch, "quiet-warning");
    const first = await startCli(["--port", "0", "--data", dataDir, "--quiet"]);
    expect(await first.stop("SIGTERM")).toBe(0);
    const state = join(dataDir, "state.json");
    const key = join(dataDir, "keys", "signing-key.pem");
    chmodSync(state, 0o644);
    chmodSync(key, 0o640);

    const second = await startCli(["--port", "0", "--data", dataDir, "--quiet"]);
    expect(await second.stop("SIGTERM")).toBe(0);
    const lines = second.stderr().trim().split("\n");
    // The two warnings and nothing else: the log stays quiet.
    expect(lines).toHaveLength(2);
    expect(lines.some((line) => line.endsWith(`warning: ${state} was readable by other users (mode 0644); changed it to 0600, as it holds secrets`))).toBe(true);
    expect(lines.some((line) => line.endsWith(`warning: ${key} was readable by other users (mode 0640); changed it to 0600, as it holds secrets`))).toBe(true);
    expect(statSync(state).mode & 0o777).toBe(0o600);
    expect(statSync(key).mode & 0o777).toBe(0o600);
  });

  it("is described in the help as dropping the log but not security warnings", async () => {
    const help = await runCli(["--help"]);
    expect(help.stdout).toContain("--quiet                  no log lines on stderr, except security warnings (a key or state\n                           file found readable by other users and made private) and the\n                           error that stops the emulator");
  });
});
