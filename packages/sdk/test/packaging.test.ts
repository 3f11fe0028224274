// The packages where their users run them, as real npm, npx, tsc and node processes: the bins
// through npx in this repository and in a workspace whose install ran before anything was built
// (then built, then rebuilt), a package of this workspace that depends on @graph-sync/sdk, and a
// project outside the repository that installs the tarballs of `npm pack` exactly as the root
// README says. One pack and one install for the whole file.
import { chmod, cp, mkdir, mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { homedir, tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { runProcess as run, startProcess, type ProcessRun as Run } from "@graph-sync/test-support";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { packageRoot } from "./support/spawnCli.js";

const repoRoot = resolve(packageRoot, "../..");
const consumerApp = join(import.meta.dirname, "fixtures/consumerApp.ts");
const tsc = join(repoRoot, "node_modules/typescript/bin/tsc");

/** This machine's environment without what npm and nx set for the script that runs the tests. */
const machineEnv = Object.fromEntries(Object.entries(process.env).filter(([name]) => !/^(npm_|NX_|INIT_CWD$|VITEST)/i.test(name)));

/**
 * npm and npx as a user runs them, with this Node (the pinned 24) first on PATH so the bins'
 * `#!/usr/bin/env node` finds it, the machine's npm settings and cache (packages come from the
 * cache, not the network), and a HOME of our own, so nothing lands in the real home directory.
 */
function userEnv(home: string): NodeJS.ProcessEnv {
  return {
    ...machineEnv,
    PATH: `${dirname(process.execPath)}:${process.env["PATH"] ?? ""}`,
    HOME: home,
    npm_config_userconfig: join(homedir(), ".npmrc"),
    npm_config_cache: process.env["npm_config_cache"] ?? join(homedir(), ".npm"),
    npm_config_prefer_offline: "true",
    npm_config_audit: "false",
    npm_config_fund: "false",
    npm_config_update_notifier: "false",
    npm_config_loglevel: "error",
  };
}

/** Starts `npx graph-sync-emulator --port 0`, reads its JSON line, stops it (the whole process group). */
async function emulatorThroughNpx(cwd: string, env: NodeJS.ProcessEnv): Promise<{ graphUrl: string; caCertPath: string }> {
  const emulator = await startProcess("npx", ["graph-sync-emulator", "--port", "0"], { cwd, env });
  try {
    return JSON.parse(emulator.firstLine) as { graphUrl: string; caCertPath: string };
  } finally {
    await emulator.stop();
  }
}

/** Strict settings a consumer might use; with `checkLibraries`, the packages' declarations are checked too. */
function consumerTsconfig(checkLibraries: boolean): string {
  return JSON.stringify({
    compilerOptions: {
      target: "ES2023",
      module: "NodeNext",
      moduleResolution: "NodeNext",
      strict: true,
      noUncheckedIndexedAccess: true,
      exactOptionalPropertyTypes: true,
      skipLibCheck: !checkLibraries,
      noEmit: true,
      types: ["node"],
      typeRoots: [join(repoRoot, "node_modules/@types")],
    },
    files: ["app.ts"],
  });
}

/** Type-checks the consumer program in `project`, then runs it: it calls the emulator through the SDK. */
async function checkConsumerApp(project: string, env: NodeJS.ProcessEnv, options: { checkLibraries: boolean }): Promise<void> {
  await cp(consumerApp, join(project, "app.ts"));
  await writeFile(join(project, "tsconfig.json"), consumerTsconfig(options.checkLibraries));
  const typecheck = await run(process.execPath, [tsc, "-p", "tsconfig.json"], { cwd: project, env });
  expect(typecheck.stdout + typecheck.stderr).toBe("");
  expect(typecheck.code).toBe(0);
  const app = await run(process.execPath, ["app.ts"], { cwd: project, env });
  expect(app.stderr).toBe("");
  expect(JSON.parse(app.stdout)).toEqual({ attempts: 1, reuse: "bad-request 400 Request_BadRequest" });
}

let scratch: string;
beforeAll(async () => {
  await mkdir(join(repoRoot, ".tmp"), { recursive: true });
  scratch = await mkdtemp(join(tmpdir(), "graph-sync-packaging-"));
});
afterAll(async () => {
  await rm(scratch, { recursive: true, force: true });
});

describe("in this repository, after npm ci and the build", () => {
  test("npx graph-sync --help and npx graph-sync-emulator --port 0 run the workspace's bins", async () => {
    const env = userEnv(scratch);
    const help = await run("npx", ["graph-sync", "--help"], { cwd: repoRoot, env });
    expect(help.stderr).toBe("");
    expect(help.stdout).toMatch(/^graph-sync 0\.1\.0 — /);
    const emulator = await emulatorThroughNpx(repoRoot, env);
    expect(emulator.graphUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
  });

  test("bins that npm linked before the build work once it is built, and after a rebuild", async () => {
    // A workspace with the two packages' manifests and bin/ as committed, installed before any
    // dist/ exists, as `npm ci` does on a fresh clone. Node finds their dependencies in this
    // repository's node_modules, above it.
    const workspace = await mkdtemp(join(repoRoot, ".tmp/bins-"));
    try {
      const env = userEnv(scratch);
      await writeFile(join(workspace, "package.json"), JSON.stringify({ name: "bins-before-build", private: true, workspaces: ["packages/*"] }));
      for (const name of ["sdk", "emulator"]) {
        const manifest = JSON.parse(await readFile(join(repoRoot, "packages", name, "package.json"), "utf8")) as Record<string, unknown>;
        await mkdir(join(workspace, "packages", name), { recursive: true });
        await writeFile(
          join(workspace, "packages", name, "package.json"),
          JSON.stringify({ name: manifest["name"], version: manifest["version"], type: "module", bin: manifest["bin"] }),
        );
        await cp(join(repoRoot, "packages", name, "bin"), join(workspace, "packages", name, "bin"), { recursive: true });
      }
      const install = await run("npm", ["install", "--no-package-lock"], { cwd: workspace, env });
      expect(install.stderr).toBe("");

      const unbuilt = await run("npx", ["graph-sync", "--version"], { cwd: workspace, env });
      expect(unbuilt.code).toBe(1);
      expect(unbuilt.stderr).toContain("is not built (dist/cli/main.js is missing). In the graph-sync repository, run `npm run build` first.");

      // tsc writes dist/ without the executable bit; so does this copy, each time.
      const build = async () => {
        for (const name of ["sdk", "emulator"]) {
          const dist = join(workspace, "packages", name, "dist");
          await rm(dist, { recursive: true, force: true });
          await cp(join(repoRoot, "packages", name, "dist"), dist, { recursive: true });
          for (const file of await readdir(dist, { recursive: true })) await chmod(join(dist, file), 0o644).catch(() => undefined);
        }
      };
      for (const round of ["build", "rebuild"]) {
        await build();
        const sdk = await run("npx", ["graph-sync", "--version"], { cwd: workspace, env });
        const emulator = await run("npx", ["graph-sync-emulator", "--version"], { cwd: workspace, env });
        expect({ round, sdk: sdk.stdout, emulator: emulator.stdout }).toEqual({ round, sdk: "0.1.0\n", emulator: "0.1.0\n" });
      }
    } finally {
      await rm(workspace, { recursive: true, force: true });
    }
  }, 90_000);

  test("a package of this workspace that depends on @graph-sync/sdk type-checks and calls the emulator", async () => {
    // Like packages/my-app in the README: it resolves @graph-sync/sdk through the workspace's
    // node_modules link to the built package.
    const app = await mkdtemp(join(repoRoot, ".tmp/workspace-app-"));
    try {
      await writeFile(
        join(app, "package.json"),
        JSON.stringify({
          name: "my-app",
          private: true,
          type: "module",
          dependencies: { "@azure/identity": "4.14.1", "@graph-sync/emulator": "0.1.0", "@graph-sync/sdk": "0.1.0" },
        }),
      );
      // The declarations are the same files the packed project checks; skip them here.
      await checkConsumerApp(app, userEnv(scratch), { checkLibraries: false });
    } finally {
      await rm(app, { recursive: true, force: true });
    }
  }, 60_000);
});

describe("outside the repository, from the tarballs of npm pack", () => {
  let home: string;
  let project: string;
  let readmeRun: Run;

  /** The README's block that packs the packages and installs them in a project of one's own. */
  async function readmePackagingCommands(): Promise<string> {
    const readme = await readFile(join(repoRoot, "README.md"), "utf8");
    const block = /<!-- run by packages\/sdk\/test\/packaging\.test\.ts -->\s*```sh\n([\s\S]*?)```/.exec(readme)?.[1];
    if (block === undefined) throw new Error("README.md has no block marked <!-- run by packages/sdk/test/packaging.test.ts -->");
    return block;
  }

  beforeAll(async () => {
    home = join(scratch, "home");
    project = join(home, "my-app");
    await mkdir(project, { recursive: true });
    await writeFile(join(project, "package.json"), JSON.stringify({ name: "my-app", private: true, type: "module" }));
    readmeRun = await run("bash", ["-euo", "pipefail", "-c", await readmePackagingCommands()], {
      cwd: repoRoot,
      env: userEnv(home),
      timeoutInMs: 240_000,
    });
  }, 250_000);

  test("the README's commands pack, install, and call the packed emulator through the packed SDK", () => {
    expect(readmeRun.stderr).toBe("");
    expect(readmeRun.code).toBe(0);
    expect(readmeRun.stdout).toContain("acquireAccessToken: 204 after 1 attempt(s)");
  });

  test("each package ships a LICENSE, a README and a manifest without source-only conditions", async () => {
    for (const name of ["client", "sdk", "emulator"]) {
      const installed = join(project, "node_modules/@graph-sync", name);
      const files = await readdir(installed);
      expect(files).toEqual(expect.arrayContaining(["LICENSE", "README.md", "package.json", "dist"]));
      const manifest = await readFile(join(installed, "package.json"), "utf8");
      expect(manifest).not.toContain("@graph-sync/source");
      expect(JSON.parse(manifest)).toMatchObject({ exports: { ".": { types: "./dist/index.d.ts", default: "./dist/index.js" } } });
    }
  });

  test("every source map points at files that are shipped", async () => {
    const missing: string[] = [];
    let maps = 0;
    for (const name of ["client", "sdk", "emulator"]) {
      const dist = join(project, "node_modules/@graph-sync", name, "dist");
      for (const file of await readdir(dist, { recursive: true })) {
        if (!file.endsWith(".map")) continue;
        maps += 1;
        const map = JSON.parse(await readFile(join(dist, file), "utf8")) as { sources: string[] };
        for (const source of map.sources) {
          const path = resolve(dirname(join(dist, file)), source);
          await readFile(path).catch(() => missing.push(`${name}/dist/${file} → ${source}`));
        }
      }
    }
    expect(maps).toBeGreaterThan(0);
    expect(missing).toEqual([]);
  });

  test("the consumer's program type-checks strictly and calls the emulator through the SDK", async () => {
    await checkConsumerApp(project, userEnv(home), { checkLibraries: true });
  }, 60_000);

  test("npx graph-sync --help and npx graph-sync-emulator --port 0 run the installed bins", async () => {
    const env = userEnv(home);
    const help = await run("npx", ["graph-sync", "--help"], { cwd: project, env });
    expect(help.stderr).toBe("");
    expect(help.stdout).toMatch(/^graph-sync 0\.1\.0 — /);
    const emulator = await emulatorThroughNpx(project, env);
    expect(emulator.caCertPath).toMatch(/ca-cert\.pem$/);
  }, 90_000);

  test("the README's global install of the tarballs gives a graph-sync command that runs in any folder", async () => {
    const readme = await readFile(join(repoRoot, "README.md"), "utf8");
    const mark = "<!-- run by packages/sdk/test/packaging.test.ts, after the packing block -->";
    const at = readme.indexOf(mark);
    const block = at < 0 ? undefined : /^\s*```sh\n([\s\S]*?)```/.exec(readme.slice(at + mark.length))?.[1];
    if (block === undefined) throw new Error(`README.md has no block marked ${mark}`);
    // npm's global folder is this test's own (a user's is on their PATH already), and the command
    // runs from a folder that is neither the repository nor a project with the packages.
    const globalPrefix = join(home, "npm-global");
    const elsewhere = join(home, "elsewhere");
    await mkdir(elsewhere, { recursive: true });
    const env = userEnv(home);
    const installed = await run("bash", ["-euo", "pipefail", "-c", block], {
      cwd: elsewhere,
      env: { ...env, npm_config_prefix: globalPrefix, PATH: `${join(globalPrefix, "bin")}:${env["PATH"] ?? ""}` },
      timeoutInMs: 120_000,
    });
    expect(installed.code).toBe(0);
    expect(installed.stdout).toMatch(/^graph-sync 0\.1\.0 — /m);
  }, 130_000);
});
