import { defineConfig, mergeConfig } from "vitest/config";
import shared from "../../vitest.shared.js";

export default mergeConfig(
  shared,
  defineConfig({
    test: {
      // The CLI, examples and demo tests run the built package; build it (and its dependencies) first.
      globalSetup: ["test/globalSetup.ts"],
      // Most tests here spawn Node processes (the CLI, the examples, npm and tsc in packaging.test.ts);
      // on a busy machine one can take tens of seconds. These caps only stop a hung test.
      testTimeout: 60_000,
      hookTimeout: 60_000,
    },
  }),
);
