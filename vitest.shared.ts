// The one vitest configuration every package merges (see each package's vitest.config.ts).
import { defineConfig } from "vitest/config";

export default defineConfig({
  resolve: {
    // Resolve workspace packages to their TypeScript sources, so tests never run stale builds.
    conditions: ["@graph-sync/source"],
  },
  test: {
    include: ["test/**/*.test.ts"],
    environment: "node",
    // Servers under test listen on 127.0.0.1 and every test bounds its own waits; these caps only
    // stop a broken test from hanging the suite.
    testTimeout: 30_000,
    hookTimeout: 30_000,
    teardownTimeout: 10_000,
    pool: "forks",
  },
});
