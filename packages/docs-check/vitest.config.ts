import { defineConfig, mergeConfig } from "vitest/config";
import shared from "../../vitest.shared.js";

// The README commands run the built bins (nx builds the SDK and the emulator before `test`) and
// start an emulator each: a minute is their bound, not their expected time.
export default mergeConfig(shared, defineConfig({ test: { testTimeout: 90_000 } }));
