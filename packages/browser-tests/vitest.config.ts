import { defineConfig, mergeConfig } from "vitest/config";
import shared from "../../vitest.shared.js";

// One browser and real CLI processes per test: the files run one after another, so two Chromiums
// never compete for the machine's cores. Every wait inside a test is bounded on its own.
export default mergeConfig(shared, defineConfig({ test: { testTimeout: 60_000, hookTimeout: 60_000, fileParallelism: false } }));
