// The root README's command blocks that no other test runs, run as written and as a reader runs
// them: real npm, npx, bash, curl and node processes, from a terminal whose environment is the
// machine's PATH and a HOME, nothing else. Blocks are found by the comment
// `<!-- run by packages/docs-check/test/readmeCommands.test.ts -->` on the line above them, in
// the order the README has them.
import { mkdir, mkdtemp, readFile, rm, symlink, writeFile } from "node:fs/promises";
import { homedir, tmpdir } from "node:os";
import { delimiter, join } from "node:path";
import { runProcess, startProcess, type ProcessRun, type StartedProcess } from "@graph-sync/test-support";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { fencedBlocks, type FencedBlock } from "../src/markdownBlocks.js";

const repositoryRoot = join(import.meta.dirname, "../../..");
const MARK = "run by packages/docs-check/test/readmeCommands.test.ts";

let blocks: FencedBlock[];
let home: string;
beforeAll(async () => {
  blocks = fencedBlocks(await readFile(join(repositoryRoot, "README.md"), "utf8"), "README.md").filter((block) => block.note === MARK);
  home = await mkdtemp(join(tmpdir(), "graph-sync-readme-home-"));
});
afterAll(async () => {
  await rm(home, { recursive: true, force: true });
});

/** The marked block whose text contains `needle`; fails (not skips) when the README lost it. */
function block(needle: string, language = "sh"): string {
  const found = blocks.find((candidate) => candidate.language === language && candidate.text.includes(needle));
  if (!found) throw new Error(`README.md has no \`${language}\` block marked <!-- ${MARK} --> containing ${JSON.stringify(needle)}`);
  return found.text;
}

/**
 * A new terminal: the machine's PATH without the repository's node_modules/.bin that npm put in
 * front for the test run (so `npx` finds the pinned Node as it does for a reader), a HOME of our
 * own, and npm's cache and settings from this machine (nothing is downloaded).
 */
function terminalEnv(): NodeJS.ProcessEnv {
  const path = (process.env["PATH"] ?? "")
    .split(delimiter)
    .filter((entry) => !entry.includes("node_modules"))
    .join(delimiter);
  return {
    PATH: path,
    HOME: home,
    npm_config_userconfig: join(homedir(), ".npmrc"),
    npm_config_cache: process.env["npm_config_cache"] ?? join(homedir(), ".npm"),
    npm_config_update_notifier: "false",
    npm_config_fund: "false",
    npm_config_audit: "false",
  };
}

function bash(script: string, cwd: string, env = terminalEnv()): Promise<ProcessRun> {
  return runProcess("bash", ["-e", "-o", "pipefail", "-c", script], { cwd, env, timeoutInMs: 80_000 });
}

describe("Calling it from code", () => {
  const file = join(repositoryRoot, "try-graph-sync.mjs");
  afterAll(async () => {
    await rm(file, { force: true });
  });

  test("try-graph-sync.mjs, saved in the repository's root, runs with npx node and prints what the README says", async () => {
    const code = block("startEmulator", "js");
    await writeFile(file, `${code}\n`);
    const run = await bash("npx node try-graph-sync.mjs", repositoryRoot);
    expect(run.stderr).toBe("");
    expect(run.code).toBe(0);
    expect(run.stdout.trim()).toBe("acquireAccessToken: 204 after 1 attempt(s)");
  });

  test("is the program the packing block writes outside the repository (one example, not two that drift)", async () => {
    const readme = await readFile(join(repositoryRoot, "README.md"), "utf8");
    const heredoc = /cat > try-graph-sync\.mjs <<'EOF'\n([\s\S]*?)EOF\n/.exec(readme)?.[1];
    expect(heredoc).toBe(`${block("startEmulator", "js")}\n`);
  });
});

describe("Running it from another folder", () => {
  test("npm exec with the repository as prefix runs graph-sync from a folder outside it", async () => {
    // The block's clone location, in this test's HOME.
    await mkdir(join(home, "src"), { recursive: true });
    await symlink(repositoryRoot, join(home, "src/graph-sync"));
    const run = await bash(block("npm exec --prefix"), home);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain("Usage:\n  graph-sync acquire-token");
  });
});

describe("Testing offline: the emulator in one terminal, graph-sync in another", () => {
  let emulator: StartedProcess;
  let exportLines: string;
  beforeAll(async () => {
    const command = block("graph-sync-emulator");
    emulator = await startProcess("bash", ["-c", command], { cwd: repositoryRoot, env: terminalEnv(), timeoutInMs: 60_000, name: command });
    for (let waited = 0; !emulator.stdout().includes("GRAPH_SYNC_EMULATOR_ADMIN_URL"); waited += 100) {
      if (waited > 10_000) throw new Error(`no export lines after the JSON line: ${emulator.stdout()}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    // What a reader copies: the lines after the JSON line.
    exportLines = emulator.stdout().slice(emulator.stdout().indexOf("\n") + 1);
  }, 80_000);
  afterAll(async () => {
    await emulator?.stop();
  });

  test("the pasted export lines and the README's commands authorize the demo service principal through the CLI", async () => {
    const run = await bash(`${exportLines}\n${block("npx graph-sync acquire-token")}`, repositoryRoot);
    expect(run.stderr).toBe("");
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^✔ Graph accepted the credentials for service principal [0-9a-f-]{36} \(204 No Content\)\./);
  });

  test("and through the SDK's TypeScript example, run by npx node", async () => {
    const run = await bash(`${exportLines}\n${block("examples/acquireForServicePrincipal.ts")}`, repositoryRoot);
    expect(run.stderr).toBe("");
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^Provisioning is authorized \(client-request-id [0-9a-f-]{36}, 1 attempt\(s\)\)\./);
  });

  test("both calls reached the emulator, whose provisioning service exchanged both codes", async () => {
    const facts = JSON.parse(emulator.stdout().slice(0, emulator.stdout().indexOf("\n"))) as { adminUrl: string };
    const state = (await (await fetch(`${facts.adminUrl}/state`)).json()) as { servicePrincipals: Array<{ tokenAcquisitions: number }> };
    expect(state.servicePrincipals[0]?.tokenAcquisitions).toBe(2);
  });
});
