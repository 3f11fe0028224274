// The one vitest configuration every package merges (see each package's vitest.config.ts).
import path from "node:path";
import { defineConfig } from "vitest/config";

// CI asks for a machine-readable result per package (see .ci/run), written next to the console output.
const reportDir = process.env.GRAPH_SYNC_TEST_REPORT_DIR;
const packageName = path.basename(process.cwd());

// Resolve workspace packages (a package's own name included) to their TypeScript sources, so tests
// never run stale builds. An alias rather than an export condition: the packages' manifests stay
// what consumers of a packed tarball need (tsconfig.base.json's `paths` does the same for tsc).
const workspaceRoot = import.meta.dirname;
const workspaceSources = [
  { find: /^@graph-sync\/(cli|client|emulator|sdk|test-support)$/, replacement: path.join(workspaceRoot, "packages/$1/src/index.ts") },
  // The SDK's other entry points (its package.json `exports`).
  { find: /^@graph-sync\/sdk\/authorization$/, replacement: path.join(workspaceRoot, "packages/sdk/src/authorization/index.ts") },
  { find: /^@graph-sync\/sdk\/tooling$/, replacement: path.join(workspaceRoot, "packages/sdk/src/tooling.ts") },
];

export default defineConfig({
  resolve: { alias: workspaceSources },
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
