import { defineConfig, mergeConfig } from "vitest/config";
import shared from "../../vitest.shared.js";

export default mergeConfig(
  shared,
  defineConfig({
    test: {
      // Builds the package once, for the tests that spawn the CLI as a separate process.
      globalSetup: ["./test/support/globalSetup.ts"],
    },
  }),
);
