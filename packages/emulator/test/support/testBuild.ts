import { fileURLToPath } from "node:url";

/**
 * Where the global setup compiles the package for tests that run it as a separate process (the
 * CLI, crash and property tests). Not `dist/`, which an `nx build` may be writing at the same time;
 * inside the package, so the compiled code resolves its dependencies from node_modules.
 */
export const testBuildDirectory = fileURLToPath(new URL("../../node_modules/.cache/emulator-test-build/", import.meta.url));

/** The compiled CLI. */
export const builtCliPath = `${testBuildDirectory}cli.js`;
