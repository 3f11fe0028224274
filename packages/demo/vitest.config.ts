import { defineConfig, mergeConfig } from "vitest/config";
import shared from "../../vitest.shared.js";

// The tests run the built demo (nx builds it before `test`) as `npm start` does.
export default mergeConfig(shared, defineConfig({ test: { testTimeout: 90_000 } }));
