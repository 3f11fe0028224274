// The root README's command blocks that no other test runs, run as written and as a reader runs
// them: real npm, npx, bash, curl and node processes, from a terminal whose environment is the
// machine's PATH and a HOME, nothing else. Blocks are found by the comment
// `<!-- run by packages/docs-check/test/readmeCommands.test.ts -->` on the line above them (in the
// root README and the emulator's).
import { mkdir, mkdtemp, readFile, rm, symlink, writeFile } from "node:fs/promises";
import { homedir, tmpdir } from "node:os";
import { delimiter, join } from "node:path";
import { AdminClient } from "@graph-sync/emulator";
import { runProcess, startProcess, type ProcessRun, type StartedProcess } from "@graph-sync/test-support";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { fencedBlocks, type FencedBlock } from "../src/markdownBlocks.js";

const repositoryRoot = join(import.meta.dirname, "../../..");
const MARK = "run by packages/docs-check/test/readmeCommands.test.ts";

let blocks: FencedBlock[];
let home: string;
beforeAll(async () => {
  const files = ["README.md", "packages/emulator/README.md"];
  const texts = await Promise.all(files.map((file) => readFile(join(repositoryRoot, file), "utf8")));
  blocks = files.flatMap((file, index) => fencedBlocks(texts[index] as string, file)).filter((block) => block.note === MARK);
  home = await mkdtemp(join(tmpdir(), "graph-sync-readme-home-"));
});
afterAll(async () => {
  await rm(home, { recursive: true, force: true });
});

/** The marked block whose text contains `needle`; fails (not skips) when the README lost it. */
function block(needle: string, language = "sh", file = "README.md"): string {
  const found = blocks.find((candidate) => candidate.file === file && candidate.language === language && candidate.text.includes(needle));
  if (!found) throw new Error(`${file} has no \`${language}\` block marked <!-- ${MARK} --> containing ${JSON.stringify(needle)}`);
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

describe("The CLI", () => {
  test("the help commands answer in the repository", async () => {
    const run = await bash(block("npx graph-sync --help"), repositoryRoot);
    expect(run.stderr).toBe("");
    expect(run.code).toBe(0);
    expect(run.stdout).toContain("Usage:\n  graph-sync acquire-token");
    expect(run.stdout).toContain("Usage: graph-sync acquire-token (--service-principal <id> | --application <id>) [options]");
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

describe("the emulator README's first command", () => {
  test("prints the JSON line the README shows: every field the README names is in it", async () => {
    const command = block("npx graph-sync-emulator --port 0", "sh", "packages/emulator/README.md");
    const emulator = await startProcess("bash", ["-c", command], { cwd: repositoryRoot, env: terminalEnv(), timeoutInMs: 60_000, name: command });
    try {
      const facts = JSON.parse(emulator.firstLine) as Record<string, unknown> & { target: Record<string, unknown> };
      const readme = await readFile(join(repositoryRoot, "packages/emulator/README.md"), "utf8");
      const shown = /```json\n(\{"graphUrl"[\s\S]*?)```/.exec(readme)?.[1] ?? "";
      const named = [...shown.matchAll(/"(\w+)":/g)].map((match) => match[1] as string);
      expect(named.length).toBeGreaterThan(10);
      expect(named.filter((name) => !(name in facts) && !(name in facts.target))).toEqual([]);
    } finally {
      await emulator.stop();
    }
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

  test("a device code, approved with the emulator README's curl command, signs graph-sync in as the administrator", async () => {
    const adminUrl = /^export GRAPH_SYNC_EMULATOR_ADMIN_URL='([^']+)'$/m.exec(exportLines)?.[1] as string;
    const admin = new AdminClient(adminUrl);
    const signIn = bash(
      `${exportLines}\n${block("npx graph-sync acquire-token").replace("--credentials-file -", "--credentials-file - --device-code")}`,
      repositoryRoot,
    );
    let userCode: string | undefined;
    for (let waited = 0; userCode === undefined; waited += 200) {
      if (waited > 30_000) throw new Error("graph-sync asked for no device code within 30 s");
      await new Promise((resolve) => setTimeout(resolve, 200));
      userCode = (await admin.deviceCodes()).find((code) => code.status === "pending")?.userCode;
    }
    // The README's placeholder is the code the CLI printed; the rest runs as written.
    const approve = await bash(`${exportLines}\n${block("device-codes/approve", "sh", "packages/emulator/README.md").replace("<the code>", userCode)}`, repositoryRoot);
    expect(approve.code).toBe(0);
    expect(JSON.parse(approve.stdout)).toMatchObject({ userCode, status: "approved" });
    const run = await signIn;
    expect(run.code).toBe(0);
    expect(run.stderr).toContain(userCode);
    expect(run.stdout).toMatch(/^✔ Graph accepted the credentials for service principal/);
  });

  test("both calls reached the emulator, whose provisioning service exchanged every code", async () => {
    const facts = JSON.parse(emulator.stdout().slice(0, emulator.stdout().indexOf("\n"))) as { adminUrl: string };
    const state = (await (await fetch(`${facts.adminUrl}/state`)).json()) as { servicePrincipals: Array<{ tokenAcquisitions: number }> };
    expect(state.servicePrincipals[0]?.tokenAcquisitions).toBe(3);
  });
});
