import { fileURLToPath } from "node:url";

/**
 * The built package the tests run as a separate process (the CLI, crash and property tests): its
 * dist/, which nx builds before this package's tests (`test` depends on `build`), as for every
 * package. Run the tests through nx (`npx nx run emulator:test`), or build first.
 */
export const testBuildDirectory = fileURLToPath(new URL("../../dist/", import.meta.url));

/** The compiled CLI. */
export const builtCliPath = `${testBuildDirectory}cli.js`;
