// Builds this package (and, through nx, the client and emulator it runs with) before the tests that
// spawn the built CLI or run the examples, so the suite also works on a clean clone with no dist/.
// nx caches the builds: when nothing changed this costs a few seconds.
import { execFile } from "node:child_process";
import { join } from "node:path";
import { promisify } from "node:util";

const run = promisify(execFile);
const workspaceRoot = join(import.meta.dirname, "../../..");

export default async function setup(): Promise<void> {
  try {
    await run(join(workspaceRoot, "node_modules/.bin/nx"), ["run", "sdk:build", "--output-style=static"], {
      cwd: workspaceRoot,
      env: { ...process.env, NX_DAEMON: "false", NX_NO_CLOUD: "true" },
      maxBuffer: 16 * 1024 * 1024,
    });
  } catch (error) {
    const { stdout = "", stderr = "" } = error as { stdout?: string; stderr?: string };
    throw new Error(`Building @graph-sync/sdk for the CLI tests failed:\n${stdout}\n${stderr}`);
  }
}
