// Compiles the package once per test run, so tests can spawn the real CLI (`node dist/cli.js`)
// even on a clean clone where nothing has been built yet.
import { execFileSync } from "node:child_process";
import { rmSync } from "node:fs";
import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";
import { testBuildDirectory } from "./testBuild.js";

export default function buildPackageForTests(): void {
  const packageRoot = fileURLToPath(new URL("../../", import.meta.url));
  const tsc = createRequire(import.meta.url).resolve("typescript/bin/tsc");
  rmSync(testBuildDirectory, { recursive: true, force: true });
  const run = (args: string[]) => execFileSync(process.execPath, args, { cwd: packageRoot, stdio: "inherit", timeout: 120_000 });
  run([tsc, "-p", "tsconfig.build.json", "--outDir", testBuildDirectory, "--declaration", "false", "--declarationMap", "false", "--sourceMap", "false"]);
  run(["scripts/copy-openapi.mjs", testBuildDirectory]);
}
