// npm run footprint (in bench/): what `npm install` puts on disk for an application, in empty
// projects side by side, from the same npm cache:
//
//   - sdk+client: the packed @graph-sync/sdk and @graph-sync/client (with the peer dependency npm
//     installs by itself, @opentelemetry/api), what a library user installs;
//   - kiota runtime: Kiota's runtime alone at the version the client is generated for
//     (abstractions, fetch library, JSON serialization, Azure authentication), the reference;
//   - sdk+client+identity: the same plus @azure/identity, for createCredentialFromEnvironment;
//   - cli: the packed @graph-sync/cli with the SDK and the client, what `graph-sync` users install.
//
// Sizes are the files' apparent sizes summed (what a container image or a tarball carries) and the
// disk blocks they take; packages are the package.json files under node_modules (nested copies
// included). Build the packages first (`npm run build` at the root): `npm pack` packs dist/.
import { mkdir, mkdtemp, readdir, readFile, rm, lstat, writeFile } from "node:fs/promises";
import { homedir, tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { execFile } from "node:child_process";
import { promisify } from "node:util";

const exec = promisify(execFile);
const repoRoot = resolve(import.meta.dirname, "../..");

interface Footprint {
  name: string;
  packages: number;
  apparentBytes: number;
  diskBytes: number;
}

/** npm as a user runs it, from this machine's cache, quietly, with this Node first on PATH. */
const npmEnv: NodeJS.ProcessEnv = {
  ...Object.fromEntries(Object.entries(process.env).filter(([name]) => !/^(npm_|NX_|INIT_CWD$)/i.test(name))),
  PATH: `${dirname(process.execPath)}:${process.env["PATH"] ?? ""}`,
  npm_config_userconfig: join(homedir(), ".npmrc"),
  npm_config_cache: process.env["npm_config_cache"] ?? join(homedir(), ".npm"),
  npm_config_prefer_offline: "true",
  npm_config_audit: "false",
  npm_config_fund: "false",
  npm_config_update_notifier: "false",
  npm_config_loglevel: "error",
};

async function npm(args: readonly string[], cwd: string): Promise<string> {
  const { stdout } = await exec("npm", [...args], { cwd, env: npmEnv, maxBuffer: 16 * 1024 * 1024 });
  return stdout;
}

/** Walks node_modules once: the sizes of every file and how many package.json sit at a package's root. */
async function measure(name: string, project: string): Promise<Footprint> {
  let packages = 0;
  let apparentBytes = 0;
  let diskBytes = 0;
  const walk = async (dir: string, packageRoot: boolean): Promise<void> => {
    for (const entry of await readdir(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      const info = await lstat(path);
      apparentBytes += info.size;
      diskBytes += info.blocks * 512;
      if (entry.isDirectory()) {
        // A package is a folder right under node_modules (or under an @scope there).
        const underNodeModules = entry.name !== ".bin" && (dir.endsWith("node_modules") || (dir.split("/").at(-2) === "node_modules" && dir.split("/").at(-1)?.startsWith("@") === true));
        await walk(path, underNodeModules && !entry.name.startsWith("@"));
      } else if (packageRoot && entry.name === "package.json") {
        packages += 1;
      }
    }
  };
  await walk(join(project, "node_modules"), false);
  return { name, packages, apparentBytes, diskBytes };
}

async function kiotaVersion(): Promise<string> {
  const manifest = JSON.parse(await readFile(join(repoRoot, "packages/client/package.json"), "utf8")) as { dependencies: Record<string, string> };
  const version = manifest.dependencies["@microsoft/kiota-abstractions"];
  if (version === undefined) throw new Error("packages/client/package.json names no @microsoft/kiota-abstractions");
  return version;
}

const scratch = await mkdtemp(join(tmpdir(), "graph-sync-footprint-"));
try {
  const tarballs = join(scratch, "tarballs");
  await mkdir(tarballs);
  const packed = JSON.parse(
    await npm(["pack", "-w", "packages/client", "-w", "packages/sdk", "-w", "packages/cli", "--pack-destination", tarballs, "--json"], repoRoot),
  ) as Array<{ name: string; filename: string }>;
  const tarball = (name: string) => {
    const found = packed.find((entry) => entry.name === name);
    if (found === undefined) throw new Error(`npm pack made no tarball of ${name}`);
    return join(tarballs, found.filename);
  };
  const kiota = await kiotaVersion();
  const projects: Array<{ name: string; install: string[] }> = [
    { name: "sdk+client (packed)", install: [tarball("@graph-sync/sdk"), tarball("@graph-sync/client")] },
    {
      name: `kiota runtime ${kiota}`,
      install: ["abstractions", "http-fetchlibrary", "serialization-json", "authentication-azure"].map((part) => `@microsoft/kiota-${part}@${kiota}`),
    },
    { name: "sdk+client+@azure/identity", install: [tarball("@graph-sync/sdk"), tarball("@graph-sync/client"), "@azure/identity@4"] },
    { name: "cli (packed, with sdk+client)", install: [tarball("@graph-sync/cli"), tarball("@graph-sync/sdk"), tarball("@graph-sync/client")] },
  ];
  const footprints = await Promise.all(
    projects.map(async ({ name, install }, index) => {
      const project = join(scratch, `project-${index}`);
      await mkdir(project);
      await writeFile(join(project, "package.json"), JSON.stringify({ name: `footprint-${index}`, private: true, type: "module" }));
      await npm(["install", ...install], project);
      return measure(name, project);
    }),
  );
  const reference = footprints[1]!;
  const mb = (bytes: number) => (bytes / 1e6).toFixed(1);
  console.log(`| install | packages | size (apparent) | on disk | × Kiota's runtime (apparent) |`);
  console.log(`|---|---:|---:|---:|---:|`);
  for (const row of footprints) {
    console.log(
      `| ${row.name} | ${row.packages} | ${mb(row.apparentBytes)} MB | ${mb(row.diskBytes)} MB | ${(row.apparentBytes / reference.apparentBytes).toFixed(2)}× |`,
    );
  }
} finally {
  await rm(scratch, { recursive: true, force: true });
}
