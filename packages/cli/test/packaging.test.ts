// The packages where their users run them, as real npm, npx, tsc and node processes: the bins
// through npx in this repository and in a workspace whose install ran before anything was built
// (then built, then rebuilt), a package of this workspace that depends on @graph-sync/sdk, and
// projects outside the repository that install the tarballs of `npm pack`: the one the root README
// describes (with the CLI), and two applications on OpenTelemetry JS's previous line
// (sdk-trace-base 2, on @opentelemetry/api 1.9.x and on the lowest api the SDK's peer range
// allows). The installed packages run on Node 22 (the lowest `engines` allows) and on Node 24.
// One pack, and one install per project, for the whole file.
import { chmod, cp, mkdir, mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { homedir, tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { runProcess as run, startProcess, startTestEmulator, emulatorEnv, type ProcessRun as Run } from "@graph-sync/test-support";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { packageRoot } from "./support/spawnCli.js";

const repoRoot = resolve(packageRoot, "../..");
const fixtures = join(import.meta.dirname, "fixtures");
const consumerApp = join(fixtures, "consumerApp.ts");
const tsc = join(repoRoot, "node_modules/typescript/bin/tsc");

/** The published packages, each checked once packed and installed. */
const publishedPackages = ["client", "sdk", "emulator", "cli"] as const;

/**
 * The Node versions the installed packages run on: the pinned Node 24 the tests run on (root
 * devDependency `node`) and Node 22 (root devDependency `node22`, an alias of the `node` package).
 */
const nodes = [
  { name: "Node 22", path: join(repoRoot, "node_modules/node22/bin/node") },
  { name: "Node 24", path: process.execPath },
] as const;

/** The versions the root manifest pins for the two Node packages, e.g. `{ node: "24.21.0", node22: "npm:node@22.23.3" }`. */
async function pinnedNodes(): Promise<{ node: string; node22: string }> {
  const manifest = JSON.parse(await readFile(join(repoRoot, "package.json"), "utf8")) as { devDependencies: Record<string, string> };
  return { node: manifest.devDependencies["node"] ?? "", node22: manifest.devDependencies["node22"] ?? "" };
}

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
function consumerTsconfig(checkLibraries: boolean, files: readonly string[]): string {
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
      // The traced programs import their shared part as ./tracedCall.ts, as Node runs them.
      allowImportingTsExtensions: true,
      types: ["node"],
      typeRoots: [join(repoRoot, "node_modules/@types")],
    },
    files,
  });
}

/** Copies consumer programs from the fixtures into `project` and type-checks them there, strictly. */
async function typecheckPrograms(project: string, env: NodeJS.ProcessEnv, files: readonly string[], options: { checkLibraries: boolean }): Promise<void> {
  for (const file of files) await cp(join(fixtures, file), join(project, file));
  await writeFile(join(project, "tsconfig.json"), consumerTsconfig(options.checkLibraries, files));
  const typecheck = await run(process.execPath, [tsc, "-p", "tsconfig.json"], { cwd: project, env });
  expect(typecheck.stdout + typecheck.stderr).toBe("");
  expect(typecheck.code).toBe(0);
}

/** Runs the consumer program (copied by typecheckPrograms) with `node`: it calls the emulator through the SDK. */
async function runConsumerApp(project: string, env: NodeJS.ProcessEnv, node: string): Promise<void> {
  const app = await run(node, ["consumerApp.ts"], { cwd: project, env });
  expect(app.stderr).toBe("");
  expect(JSON.parse(app.stdout)).toEqual({ attempts: 1, reuse: "bad-request 400 Request_BadRequest" });
}

/** Type-checks the consumer program in `project`, then runs it with this Node. */
async function checkConsumerApp(project: string, env: NodeJS.ProcessEnv, options: { checkLibraries: boolean }): Promise<void> {
  await typecheckPrograms(project, env, ["consumerApp.ts"], options);
  await runConsumerApp(project, env, process.execPath);
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
  test("the Node 24 and Node 22 binaries are the pinned ones, and npx node is Node 24", async () => {
    // Both packages ship a bin named `node`; npm links the first by path (node_modules/node), so
    // node_modules/.bin/node stays Node 24. An `npm install` that relinks only node22 could flip
    // it: this says so rather than letting the whole repository run on Node 22 unnoticed.
    const pinned = await pinnedNodes();
    const versions = await Promise.all(nodes.map(({ path }) => run(path, ["--version"], { env: machineEnv })));
    expect(versions.map(({ stdout }) => stdout.trim())).toEqual([`v${pinned.node22.replace(/^npm:node@/, "")}`, `v${pinned.node}`]);
    const npxNode = await run("npx", ["node", "--version"], { cwd: repoRoot, env: userEnv(scratch) });
    expect(npxNode.stdout.trim()).toBe(`v${pinned.node}`);
  });

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
      for (const name of ["cli", "emulator"]) {
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
      expect(unbuilt.stderr).toContain("@graph-sync/cli is not built (dist/main.js is missing). In the graph-sync repository, run `npm run build` first.");

      // tsc writes dist/ without the executable bit; so does this copy, each time.
      const build = async () => {
        for (const name of ["cli", "emulator"]) {
          const dist = join(workspace, "packages", name, "dist");
          await rm(dist, { recursive: true, force: true });
          await cp(join(repoRoot, "packages", name, "dist"), dist, { recursive: true });
          for (const file of await readdir(dist, { recursive: true })) await chmod(join(dist, file), 0o644).catch(() => undefined);
        }
      };
      for (const round of ["build", "rebuild"]) {
        await build();
        const cli = await run("npx", ["graph-sync", "--version"], { cwd: workspace, env });
        const emulator = await run("npx", ["graph-sync-emulator", "--version"], { cwd: workspace, env });
        expect({ round, cli: cli.stdout, emulator: emulator.stdout }).toEqual({ round, cli: "0.1.0\n", emulator: "0.1.0\n" });
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
  /** Projects of applications on OpenTelemetry JS's previous line, by the @opentelemetry/api they pin. */
  const previousLine = [
    { name: "sdk-trace-base 2 on api 1.9.1", api: "1.9.1", identity: "4.14.1", dir: "", checkLibraries: false },
    // The floor of both of the SDK's peer ranges: @opentelemetry/api and @azure/identity.
    { name: "sdk-trace-base 2 on the lowest api of the SDK's peer range", api: "", identity: "", dir: "", checkLibraries: true },
  ];

  /** The README's block that packs the packages and installs them in a project of one's own. */
  async function readmePackagingCommands(): Promise<string> {
    const readme = await readFile(join(repoRoot, "README.md"), "utf8");
    const block = /<!-- run by packages\/cli\/test\/packaging\.test\.ts -->\s*```sh\n([\s\S]*?)```/.exec(readme)?.[1];
    if (block === undefined) throw new Error("README.md has no block marked <!-- run by packages/cli/test/packaging.test.ts -->");
    return block;
  }

  /** The lowest version a caret range allows ("^1.3.0" → "1.3.0"); other forms are refused, not guessed. */
  function caretFloor(range: string | undefined): string {
    const floor = /^\^(\d+\.\d+\.\d+)$/.exec(range ?? "")?.[1];
    if (floor === undefined) throw new Error(`expected a caret range, got ${range}`);
    return floor;
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
    if (readmeRun.code !== 0) return; // the first test reports it

    // The same tarballs in the other projects, installed side by side: an application on
    // OpenTelemetry JS 3 (the README's project, with the line's SDK added as an application does),
    // and two on the previous line. The SDK alone there: the CLI is an application of its own.
    const tarballs = join(home, "graph-sync-packages");
    const files = await readdir(tarballs);
    const tarball = (name: string) => join(tarballs, files.find((file) => file.startsWith(`graph-sync-${name}-`)) ?? `missing ${name}`);
    const sdkManifest = JSON.parse(await readFile(join(repoRoot, "packages/sdk/package.json"), "utf8")) as { peerDependencies: Record<string, string> };
    const lowest = previousLine[1] as { api: string; identity: string };
    lowest.api = caretFloor(sdkManifest.peerDependencies["@opentelemetry/api"]);
    lowest.identity = caretFloor(sdkManifest.peerDependencies["@azure/identity"]);
    const installs = [
      run("npm", ["install", "@opentelemetry/sdk-trace@3.1.1", "@opentelemetry/api@1.10.0"], { cwd: project, env: userEnv(home), timeoutInMs: 120_000 }),
      ...previousLine.map(async (variant) => {
        variant.dir = join(home, `otel2-api-${variant.api}`);
        await mkdir(variant.dir, { recursive: true });
        await writeFile(join(variant.dir, "package.json"), JSON.stringify({ name: "traced-app", private: true, type: "module" }));
        return run(
          "npm",
          [
            "install",
            ...["client", "sdk", "emulator"].map(tarball),
            `@azure/identity@${variant.identity}`,
            "@opentelemetry/sdk-trace-base@2.12.1",
            `@opentelemetry/api@${variant.api}`,
          ],
          { cwd: variant.dir, env: userEnv(home), timeoutInMs: 120_000 },
        );
      }),
    ];
    for (const install of await Promise.all(installs)) expect({ code: install.code, stderr: install.stderr }).toEqual({ code: 0, stderr: "" });
  }, 250_000);

  test("the README's commands pack, install, and call the packed emulator through the packed SDK", () => {
    expect(readmeRun.stderr).toBe("");
    expect(readmeRun.code).toBe(0);
    expect(readmeRun.stdout).toContain("acquireAccessToken: 204 after 1 attempt(s)");
  });

  test("the README's global install of the tarballs gives a graph-sync command that runs in any folder", async () => {
    const readme = await readFile(join(repoRoot, "README.md"), "utf8");
    const mark = "<!-- run by packages/cli/test/packaging.test.ts, after the packing block -->";
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

  test("each package ships a LICENSE, a README and a manifest without source-only conditions", async () => {
    for (const name of publishedPackages) {
      const installed = join(project, "node_modules/@graph-sync", name);
      const files = await readdir(installed);
      expect(files).toEqual(expect.arrayContaining(["LICENSE", "README.md", "package.json", "dist"]));
      const manifest = await readFile(join(installed, "package.json"), "utf8");
      expect(manifest).not.toContain("@graph-sync/source");
      expect(JSON.parse(manifest)).toMatchObject({ exports: { ".": { types: "./dist/index.d.ts", default: "./dist/index.js" } } });
    }
  });

  test("manifests as libraries publish them: caret ranges, exact only for Kiota's runtime and the workspace's packages", async () => {
    const ranges: Record<string, Record<string, string>> = {};
    for (const name of publishedPackages) {
      const manifest = JSON.parse(await readFile(join(project, "node_modules/@graph-sync", name, "package.json"), "utf8")) as {
        dependencies?: Record<string, string>;
        peerDependencies?: Record<string, string>;
      };
      for (const [dependency, range] of Object.entries({ ...manifest.dependencies, ...manifest.peerDependencies })) {
        const mustMatch = dependency.startsWith("@microsoft/kiota-") || dependency.startsWith("@graph-sync/");
        if (mustMatch ? !/^\d+\.\d+\.\d+(-[\w.]+)?$/.test(range) : !/^\^\d+\.\d+\.\d+$/.test(range)) {
          (ranges[name] ??= {})[dependency] = range;
        }
      }
    }
    expect(ranges).toEqual({});
    // The SDK carries what a library needs; the credential library and OpenTelemetry's SDK are the
    // application's (or the CLI's) choice.
    const sdk = JSON.parse(await readFile(join(project, "node_modules/@graph-sync/sdk/package.json"), "utf8")) as Record<string, Record<string, unknown>>;
    expect(Object.keys(sdk["dependencies"] ?? {})).not.toEqual(expect.arrayContaining(["@azure/identity"]));
    expect(Object.keys(sdk["dependencies"] ?? {}).filter((name) => name.startsWith("@opentelemetry/"))).toEqual([]);
    expect(sdk["peerDependenciesMeta"]).toEqual({ "@azure/identity": { optional: true } });
  });

  test("every source map points at files that are shipped", async () => {
    const missing: string[] = [];
    let maps = 0;
    for (const name of publishedPackages) {
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

  test("Node 22 is the lowest Node every package's engines allow", async () => {
    // Running on Node 22 then shows that no package needs something newer than it promises.
    const node22 = await run(nodes[0].path, ["--version"], { env: machineEnv });
    const major = Number(/^v(\d+)\./.exec(node22.stdout)?.[1]);
    for (const name of publishedPackages) {
      const manifest = JSON.parse(await readFile(join(project, "node_modules/@graph-sync", name, "package.json"), "utf8")) as { engines?: { node?: string } };
      expect({ name, engines: manifest.engines?.node }).toEqual({ name, engines: `>=${major}` });
    }
  });

  test("the consumer's programs type-check strictly, the packages' declarations too", async () => {
    // One tsc run for the plain program and the one traced with OpenTelemetry JS sdk-trace 3.
    await typecheckPrograms(project, userEnv(home), ["consumerApp.ts", "tracedCall.ts", "tracedAppSdkTrace3.ts"], { checkLibraries: true });
  }, 90_000);

  test("the consumer's program calls the emulator through the SDK, on Node 22 and Node 24", async () => {
    const env = userEnv(home);
    await Promise.all(nodes.map((node) => runConsumerApp(project, env, node.path)));
  }, 60_000);

  test("the installed graph-sync CLI hands credentials to the emulator and traces the call (--trace), on Node 22 and Node 24", async () => {
    // --trace registers OpenTelemetry's SDK (the CLI's dependency) on the one API copy the SDK, a
    // peer of it, also uses: the SDK's call and attempt spans reach the CLI's tree.
    const emulator = await startTestEmulator();
    try {
      const runs = await Promise.all(
        nodes.map(async (node) => {
          const code = await emulator.getAuthorizationCode(emulator.servicePrincipalId);
          const cli = await run(
            node.path,
            [join(project, "node_modules/@graph-sync/cli/bin/graph-sync.js"), "acquire-token", "--service-principal", emulator.servicePrincipalId, "--graph-url", emulator.graphUrl, "--json", "--trace"],
            {
              cwd: project,
              env: {
                PATH: process.env["PATH"],
                HOME: home,
                ...emulatorEnv(emulator),
                GRAPH_SYNC_CREDENTIALS: JSON.stringify({ Oauth2AuthorizationCode: code, Oauth2RedirectUri: emulator.target.redirectUri }),
              },
            },
          );
          return { node: node.name, cli };
        }),
      );
      for (const { node, cli } of runs) {
        expect({ node, code: cli.code }).toEqual({ node, code: 0 });
        expect(cli.stderr).toMatch(/^trace [0-9a-f]{32}\nSyncClient\.acquireAccessToken · CLIENT · [\d.]+ ms · OK\n/);
        expect(cli.stderr).toContain("  └ POST /v1.0/servicePrincipals/{id}/synchronization/acquireAccessToken · CLIENT · ");
        expect(JSON.parse(cli.stdout)).toMatchObject({ ok: true, attempts: 1, target: { servicePrincipalId: emulator.servicePrincipalId } });
      }
    } finally {
      await emulator.close();
    }
  }, 90_000);

  test("npx graph-sync --help and npx graph-sync-emulator --port 0 run the installed bins", async () => {
    const env = userEnv(home);
    const help = await run("npx", ["graph-sync", "--help"], { cwd: project, env });
    expect(help.stderr).toBe("");
    expect(help.stdout).toMatch(/^graph-sync 0\.1\.0 — /);
    const emulator = await emulatorThroughNpx(project, env);
    expect(emulator.caCertPath).toMatch(/ca-cert\.pem$/);
  }, 90_000);

  /** The spans a traced program printed: the SDK's call span at the root, its attempts under it. */
  function expectCallAndAttemptSpans(stdout: string): void {
    const printed = JSON.parse(stdout) as { attempts: number; spans: Array<{ name: string; parent: string | null; scope: string | null }> };
    expect(printed.attempts).toBe(1);
    expect(printed.spans).toEqual(
      expect.arrayContaining([
        { name: "SyncClient.acquireAccessToken", parent: null, scope: "@graph-sync/sdk" },
        { name: "POST /v1.0/servicePrincipals/{id}/synchronization/acquireAccessToken", parent: "SyncClient.acquireAccessToken", scope: "@graph-sync/sdk" },
      ]),
    );
  }

  test("an application on OpenTelemetry JS sdk-trace 3 (api 1.10) gets the call's span and attempt spans, on Node 22 and Node 24", async () => {
    const env = userEnv(home);
    const api = JSON.parse(await readFile(join(project, "node_modules/@opentelemetry/api/package.json"), "utf8")) as { version: string };
    expect(api.version).toBe("1.10.0");
    const runs = await Promise.all(nodes.map((node) => run(node.path, ["tracedAppSdkTrace3.ts"], { cwd: project, env })));
    for (const [index, app] of runs.entries()) {
      expect({ node: nodes[index]?.name, stderr: app.stderr }).toEqual({ node: nodes[index]?.name, stderr: "" });
      expectCallAndAttemptSpans(app.stdout);
    }
  }, 60_000);

  test.each(previousLine)("an application on OpenTelemetry JS $name gets the call's span and attempt spans, on Node 22 and Node 24", async (variant) => {
    const env = userEnv(home);
    // The packages' declarations are checked against the lowest API's types (against 1.10's in
    // the README's project); 1.9.1 adds nothing between them.
    await typecheckPrograms(variant.dir, env, ["tracedCall.ts", "tracedAppSdkTraceBase2.ts"], { checkLibraries: variant.checkLibraries });
    // The SDK uses the application's API copy, the one it pinned (the peer dependency), never one
    // of its own. (Kiota's runtime brings its own copy when the application's is below 1.7.)
    const api = JSON.parse(await readFile(join(variant.dir, "node_modules/@opentelemetry/api/package.json"), "utf8")) as { version: string };
    expect(api.version).toBe(variant.api);
    const identity = JSON.parse(await readFile(join(variant.dir, "node_modules/@azure/identity/package.json"), "utf8")) as { version: string };
    expect(identity.version).toBe(variant.identity);
    const copies = await run("npm", ["ls", "@opentelemetry/api", "--all", "--parseable"], { cwd: variant.dir, env });
    expect(copies.stdout.split("\n").filter((line) => line.includes("@graph-sync/"))).toEqual([]);
    const runs = await Promise.all(nodes.map((node) => run(node.path, ["tracedAppSdkTraceBase2.ts"], { cwd: variant.dir, env })));
    for (const [index, app] of runs.entries()) {
      expect({ node: nodes[index]?.name, stderr: app.stderr }).toEqual({ node: nodes[index]?.name, stderr: "" });
      expectCallAndAttemptSpans(app.stdout);
    }
  }, 90_000);
});
