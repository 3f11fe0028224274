import { cp, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { runProcess } from "@graph-sync/test-support";
import { afterAll } from "vitest";
import { runCli } from "../../src/cli.ts";

export const openapiDir = path.resolve(import.meta.dirname, "../..");
export const fixtures = path.join(openapiDir, "test/fixtures");
export const v1Fixture = path.join(fixtures, "graph-v1.0.yaml");
export const betaFixture = path.join(fixtures, "graph-beta.yaml");
export const FRAGMENT = "acquire-access-token.yaml";
export const BETA_FRAGMENT = "acquire-access-token.beta.yaml";

export interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

/**
 * Runs the update-spec command line in this process (the same code as the bin, without starting
 * Node again for every case) and collects its output.
 */
export async function updateSpec(args: readonly string[], cwd = openapiDir): Promise<CliRun> {
  const stdout: string[] = [];
  const stderr: string[] = [];
  const code = await runCli(args, { out: (line) => stdout.push(line), err: (line) => stderr.push(line), cwd });
  return { code, stdout: stdout.map((line) => `${line}\n`).join(""), stderr: stderr.map((line) => `${line}\n`).join("") };
}

/** Runs the real bin, as `npm run update-spec` does, bounded in time. */
export function updateSpecProcess(args: readonly string[], cwd = openapiDir): Promise<CliRun> {
  return runProcess(process.execPath, [path.join(openapiDir, "src/main.ts"), ...args], { cwd, timeoutInMs: 60_000, env: { ...process.env, INIT_CWD: cwd } });
}

/** A folder holding a copy of the committed fragments, for update-spec's --out-dir. */
export async function copyOfFragments(): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), "graph-sync-spec-"));
  for (const file of [FRAGMENT, BETA_FRAGMENT]) await cp(path.join(openapiDir, file), path.join(dir, file));
  return dir;
}

/** Writes a variant of a fixture (`edit` gets and returns its text) and returns its path. */
export async function fixtureVariant(dir: string, fixture: string, name: string, edit: (text: string) => string): Promise<string> {
  const text = await readFile(fixture, "utf8");
  const changed = edit(text);
  if (changed === text) throw new Error(`the edit for ${name} changed nothing: the fixture no longer has what it looks for`);
  const file = path.join(dir, name);
  await writeFile(file, changed);
  return file;
}

/** The enum's member list in the fixtures ends with this line. */
export const LAST_ENUM_MEMBER = "        - ConnectionString\n";

/**
 * Copies of the committed fragments for one test file, each a folder update-spec may write into;
 * every copy is removed after the file's tests. Call it once, at the top of a test file.
 */
export function fragmentWorkDirs(): () => Promise<string> {
  const dirs: string[] = [];
  afterAll(async () => {
    await Promise.all(dirs.map((dir) => rm(dir, { recursive: true, force: true })));
  });
  return async () => {
    const dir = await copyOfFragments();
    dirs.push(dir);
    return dir;
  };
}

/** A fragment's text in a work folder (the v1.0 one unless `file` says otherwise). */
export const readFragment = (dir: string, file = FRAGMENT): Promise<string> => readFile(path.join(dir, file), "utf8");
