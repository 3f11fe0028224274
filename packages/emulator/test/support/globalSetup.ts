// Compiles the package once per test run, so tests can spawn the real CLI (`node dist/cli.js`)
// even on a clean clone where nothing has been built yet.
import { execFileSync } from "node:child_process";
import { rmSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";
import { testBuildDirectory } from "./testBuild.js";

export default async function buildPackageForTests(): Promise<void> {
  const packageRoot = fileURLToPath(new URL("../../", import.meta.url));
  rmSync(testBuildDirectory, { recursive: true, force: true });
  // File by file, as tsc would emit them (no bundling). esbuild only strips the types, in a fraction
  // of a second where tsc takes several: the types are checked by the typecheck target, not here.
  await build({
    absWorkingDir: packageRoot,
    entryPoints: ["src/**/*.ts"],
    outbase: "src",
    outdir: testBuildDirectory,
    format: "esm",
    platform: "node",
    target: "node22",
    logLevel: "warning",
  });
  execFileSync(process.execPath, ["scripts/copy-openapi.mjs", testBuildDirectory], { cwd: packageRoot, stdio: "inherit", timeout: 60_000 });
}
