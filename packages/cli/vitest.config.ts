import { defineConfig, mergeConfig } from "vitest/config";
import shared from "../../vitest.shared.js";

export default mergeConfig(
  shared,
  defineConfig({
    test: {
      // The CLI and packaging tests run the built package, which nx builds (with its dependencies)
      // before `test`. They spawn Node processes (the CLI, npm and tsc in packaging.test.ts); on a
      // busy machine one can take tens of seconds. These caps only stop a hung test.
      testTimeout: 60_000,
      hookTimeout: 60_000,
    },
  }),
);
