// The slice is faithful: Kiota makes the same client of the committed fragment as of the full
// description (the v1.0 stand-in, noise included) restricted with --include-path to the two paths.
// Two Kiota runs (several seconds each): the only Kiota in this package's tests.
import { mkdtemp, readdir, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, expect, test } from "vitest";
import { ACTION_PATHS } from "../src/actionPaths.ts";
import { runKiota, workspaceRoot } from "../src/kiota.ts";
import { FRAGMENT, openapiDir, v1Fixture } from "./support/updateSpecCli.js";

const scratch = await mkdtemp(path.join(tmpdir(), "graph-sync-kiota-"));
afterAll(() => rm(scratch, { recursive: true, force: true }));

/** Every generated file by relative path, without kiota-lock.json (which records the input's location and options). */
async function generatedFiles(dir: string): Promise<Map<string, string>> {
  const files = new Map<string, string>();
  for (const entry of await readdir(dir, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile() || entry.name === "kiota-lock.json") continue;
    const file = path.join(entry.parentPath, entry.name);
    files.set(path.relative(dir, file), await readFile(file, "utf8"));
  }
  return files;
}

test("Kiota from the fragment = Kiota from the full description with --include-path for the two paths", { timeout: 240_000 }, async () => {
  const fromFragment = path.join(scratch, "fragment");
  const fromUpstream = path.join(scratch, "upstream");
  runKiota({ description: path.join(openapiDir, FRAGMENT), output: fromFragment, cwd: workspaceRoot });
  runKiota({ description: v1Fixture, output: fromUpstream, includePaths: ACTION_PATHS, cwd: workspaceRoot });

  const fragmentFiles = await generatedFiles(fromFragment);
  const upstreamFiles = await generatedFiles(fromUpstream);
  expect([...upstreamFiles.keys()].sort()).toEqual([...fragmentFiles.keys()].sort());
  for (const [file, text] of fragmentFiles) expect(upstreamFiles.get(file), file).toBe(text);
  // And it is the client that is committed (check-generated keeps that true; this names the link).
  const committed = await generatedFiles(path.join(workspaceRoot, "packages/client/src/generated"));
  committed.delete("README.md");
  expect(committed).toEqual(fragmentFiles);
  expect(fragmentFiles.get("models/index.ts")).toContain("odataType?: string | null;");
});
