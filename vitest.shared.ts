// The one vitest configuration every package merges (see each package's vitest.config.ts).
import path from "node:path";
import { defaultServerConditions } from "vite";
import { defineConfig } from "vitest/config";

// CI asks for a machine-readable result per package (see .ci/run), written next to the console output.
const reportDir = process.env.GRAPH_SYNC_TEST_REPORT_DIR;
const packageName = path.basename(process.cwd());

// Resolve workspace packages (a package's own name included) to their TypeScript sources, so tests
// never run stale builds. Tests run in Vite's server (SSR) environment, which reads
// `ssr.resolve.conditions`, not the top-level `resolve.conditions`.
const sourceConditions = ["@graph-sync/source", ...defaultServerConditions];

export default defineConfig({
  ssr: { resolve: { conditions: sourceConditions } },
  test: {
    include: ["test/**/*.test.ts"],
    environment: "node",
    // Servers under test listen on 127.0.0.1 and every test bounds its own waits; these caps only
    // stop a broken test from hanging the suite.
    testTimeout: 30_000,
    hookTimeout: 30_000,
    teardownTimeout: 10_000,
    pool: "forks",
    reporters: reportDir ? ["default", "json"] : ["default"],
    outputFile: reportDir ? { json: path.join(reportDir, `${packageName}.json`) } : undefined,
  },
});
