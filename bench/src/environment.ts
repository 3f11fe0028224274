// The facts a reader needs to compare one results file with another: machine, Node, versions.
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import os from "node:os";
import path from "node:path";

export interface Environment {
  date: string;
  cpu: string;
  cores: number;
  memoryGiB: number;
  platform: string;
  node: string;
  packages: Record<string, string>;
}

const REPORTED_PACKAGES = [
  "@graph-sync/sdk",
  "@graph-sync/client",
  "@graph-sync/emulator",
  "@microsoft/microsoft-graph-client",
  "@microsoft/kiota-http-fetchlibrary",
  "@microsoft/kiota-abstractions",
  "@azure/identity",
  "esbuild",
];

function installedVersion(name: string): string {
  // Walk up from the package's entry to its package.json: "exports" maps may hide ./package.json.
  const require = createRequire(import.meta.url);
  let folder = path.dirname(require.resolve(name));
  for (;;) {
    try {
      const manifest = JSON.parse(readFileSync(path.join(folder, "package.json"), "utf8")) as { name?: string; version?: string };
      if (manifest.name === name) return manifest.version ?? "unknown";
    } catch {
      // no package.json at this level
    }
    const parent = path.dirname(folder);
    if (parent === folder) return "unknown";
    folder = parent;
  }
}

export function describeEnvironment(): Environment {
  return {
    date: new Date().toISOString(),
    cpu: os.cpus()[0]?.model ?? "unknown",
    cores: os.availableParallelism(),
    memoryGiB: Math.round(os.totalmem() / 2 ** 30),
    platform: `${os.type()} ${os.release()} ${os.arch()}`,
    node: process.version,
    packages: Object.fromEntries(REPORTED_PACKAGES.map((name) => [name, installedVersion(name)])),
  };
}
