import { defineConfig, mergeConfig } from "vitest/config";
import shared from "../../vitest.shared.js";

// The tests that spawn the CLI run dist/, which nx builds before `test` (see package.json).
export default mergeConfig(shared, defineConfig({}));
