import { defineConfig, mergeConfig } from "vitest/config";
import shared from "../../vitest.shared.js";

export default mergeConfig(
  shared,
  defineConfig({
    test: {
      // The CLI, examples and demo tests run the built package; build it (and its dependencies) first.
      globalSetup: ["test/globalSetup.ts"],
    },
  }),
);
