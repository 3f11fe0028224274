import { defineConfig, mergeConfig } from "vitest/config";
import shared from "../../vitest.shared.js";

export default mergeConfig(
  shared,
  defineConfig({
    test: {
      // The CLI, examples and packaging tests run the built package, which nx builds (with its
      // dependencies) before `test`. Most tests here spawn Node processes (the CLI, the examples,
      // npm and tsc in packaging.test.ts); on a busy machine one can take tens of seconds. These
      // caps only stop a hung test.
      testTimeout: 60_000,
      hookTimeout: 60_000,
    },
  }),
);
