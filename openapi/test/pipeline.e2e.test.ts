// The maintainer's whole path, in a copy of the repository (the real one is never touched): Graph
// adds a member to the synchronizationSecret enum and moves beta's removal date; `npm run
// update-spec` + `npm run generate` alone carry the member into the generated client, its API
// report, the SDK's key list, types, JSON Schema and CLI help, and the emulator's request
// validation, and the date into the SDK's warning, help and README and the emulator's headers.
// Slow (Kiota, tsc, API Extractor): one test.
import { execFile } from "node:child_process";
import { existsSync } from "node:fs";
import { cp, mkdir, mkdtemp, readdir, readFile, rm, symlink } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { afterAll, expect, test } from "vitest";
import { workspaceRoot } from "../src/kiota.ts";
import { LAST_ENUM_MEMBER, betaFixture, fixtureVariant, v1Fixture } from "./support/updateSpecCli.js";

const run = promisify(execFile);
const NEW_KEY = "Oauth2ClientCertificate";
const NEW_REMOVAL = "2027-10-06";

const copy = await mkdtemp(path.join(tmpdir(), "graph-sync-pipeline-"));
afterAll(() => rm(copy, { recursive: true, force: true }));

/**
 * The working tree's files (committed or not, ignored ones left out), and a node_modules whose
 * entries link to the real installation, except the workspace packages, which link into the copy.
 */
async function copyRepository(): Promise<void> {
  const { stdout } = await run("git", ["ls-files", "-co", "--exclude-standard", "-z"], { cwd: workspaceRoot, maxBuffer: 16 * 1024 * 1024 });
  for (const file of stdout.split("\0").filter(Boolean)) {
    await cp(path.join(workspaceRoot, file), path.join(copy, file), { force: true }).catch((error: NodeJS.ErrnoException) => {
      if (error.code !== "ENOENT") throw error; // deleted in the working tree, not yet committed
    });
  }
  const modules = path.join(copy, "node_modules");
  await mkdir(path.join(modules, "@graph-sync"), { recursive: true });
  for (const entry of await readdir(path.join(workspaceRoot, "node_modules"))) {
    if (entry === "@graph-sync" || entry === ".cache") continue;
    await symlink(path.join(workspaceRoot, "node_modules", entry), path.join(modules, entry));
  }
  const workspaces: ReadonlyArray<readonly [string, string]> = [["client", "packages/client"], ["emulator", "packages/emulator"], ["sdk", "packages/sdk"], ["cli", "packages/cli"], ["openapi", "openapi"], ["bench", "bench"]];
  for (const [name, folder] of workspaces) {
    await symlink(path.join(copy, folder), path.join(modules, "@graph-sync", name));
    // A package's own node_modules exists only when npm nested a dependency there; a link to a
    // missing folder would make tools that create caches in it fail.
    const own = path.join(workspaceRoot, folder, "node_modules");
    if (existsSync(own)) await symlink(own, path.join(copy, folder, "node_modules"));
  }
}

async function inCopy(command: string, args: string[]) {
  try {
    return await run(command, args, {
      cwd: copy,
      timeout: 540_000,
      maxBuffer: 64 * 1024 * 1024,
      env: { ...process.env, INIT_CWD: copy, NX_DAEMON: "false", NX_NO_CLOUD: "true", NX_SKIP_NX_CACHE: "true", NX_CACHE_DIRECTORY: path.join(copy, ".nx/cache") },
    });
  } catch (error) {
    const { stdout = "", stderr = "" } = error as { stdout?: string; stderr?: string };
    throw new Error(`${command} ${args.join(" ")} failed in the copy:\n${stdout.slice(-6000)}\n${stderr.slice(-4000)}`);
  }
}

test(`a new enum member (${NEW_KEY}) and a moved beta removal date reach the client, the SDK, the CLI help and the emulator with update-spec + generate`, { timeout: 600_000 }, async () => {
  await copyRepository();
  const upstream = await fixtureVariant(copy, v1Fixture, "graph-v1.0-new-member.yaml", (text) => text.replace(LAST_ENUM_MEMBER, `${LAST_ENUM_MEMBER}        - ${NEW_KEY}\n`));

  const upstreamBeta = await fixtureVariant(copy, betaFixture, "graph-beta-moved.yaml", (text) => text.replaceAll(`removalDate: '2027-07-06'`, `removalDate: '${NEW_REMOVAL}'`));
  const update = await inCopy(process.execPath, ["openapi/src/main.ts", upstream, "--beta", upstreamBeta]);
  expect(update.stdout).toContain(`- added: schema microsoft.graph.synchronizationSecret: enum member ${NEW_KEY}`);
  expect(update.stdout).toContain(`deprecation removalDate 2027-07-06 → ${NEW_REMOVAL}`);
  await inCopy("npm", ["run", "generate"]);
  // The built SDK, CLI (its help) and emulator, as a user runs them.
  await inCopy("npx", ["nx", "run-many", "-t", "build", "--projects=emulator,sdk,cli", "--output-style=static"]);

  const file = (relative: string) => readFile(path.join(copy, relative), "utf8");
  expect(await file("packages/client/src/generated/models/index.ts")).toContain(`${NEW_KEY}: "${NEW_KEY}"`);
  expect(await file("packages/client/api/client.api.md")).toContain(`readonly ${NEW_KEY}: "${NEW_KEY}";`);
  expect(await file("packages/sdk/schema/credentials.schema.json")).toContain(`"${NEW_KEY}"`);
  expect(await file("packages/emulator/openapi/acquire-access-token.json")).toContain(`"${NEW_KEY}"`);

  expect(await file("packages/sdk/README.md")).toContain(`| removed on | **${NEW_REMOVAL}** |`);
  expect(await file("packages/emulator/src/generated/betaDeprecation.ts")).toContain(`"removalDate": "${NEW_REMOVAL}"`);

  const help = await inCopy(process.execPath, ["packages/cli/dist/main.js", "help", "acquire-token"]);
  expect(help.stdout).toMatch(new RegExp(`Secret names \\(46,[^]*ConnectionString, ${NEW_KEY}\\n`));
  expect(help.stdout).toContain(`beta (deprecated by Graph, removal ${NEW_REMOVAL})`);

  const used = await inCopy(process.execPath, [path.join(import.meta.dirname, "support/useNewSecretKey.mjs"), copy, NEW_KEY]);
  const outcome = JSON.parse(used.stdout.trim().split("\n").at(-1)!) as Record<string, unknown>;
  expect(outcome).toMatchObject({ sdkKnowsKey: true, sdkKeyCount: 46, call: "accepted", emulatorStoredKey: true });
  // The emulator's Sunset header (the SDK prefers it to its own copy of the date) moved with the spec.
  expect(outcome["betaWarning"]).toContain(`since 2026-02-06 and will remove it on ${NEW_REMOVAL}`);

  // And the repository itself was left alone.
  expect(await readFile(path.join(workspaceRoot, "openapi/acquire-access-token.yaml"), "utf8")).not.toContain(NEW_KEY);
});
