// A real vitest JSON report whose content is known: the small project in fixtures/report-sample
// (one test of each outcome, a file that does not load) run in a child process.
import path from "node:path";
import { runProcess } from "@graph-sync/test-support";

export const toolsDir = path.resolve(import.meta.dirname, "../..");
export const repoRoot = path.resolve(toolsDir, "..");
const sample = path.join(import.meta.dirname, "../fixtures/report-sample");

/**
 * This process's environment without the variables of the test run around it: with
 * GRAPH_SYNC_TEST_REPORT_DIR, the sample's failures would land in CI's own report.
 */
export const cleanEnv: NodeJS.ProcessEnv = Object.fromEntries(
  Object.entries(process.env).filter(([name]) => !/^(GRAPH_SYNC_TEST_REPORT_DIR|VITEST.*|NODE_OPTIONS)$/.test(name)),
);

/** The lines the sample's report gives in Markdown, after the checks' table. */
export const SAMPLE_MARKDOWN = [
  "**Tests: 1 passed, 3 failed, 1 skipped**",
  "",
  "| package | passed | failed | skipped |",
  "| --- | ---: | ---: | ---: |",
  "| sample | 1 | 3 | 1 |",
  "",
  "Failing tests:",
  "",
  "- tools/test/fixtures/report-sample/broken.sample.ts (the file failed outside its tests)",
  "- tools/test/fixtures/report-sample/outcomes.sample.ts › fails \\| with \\<markup\\> and \\*stars\\*",
  "- tools/test/fixtures/report-sample/outcomes.sample.ts › a group › fails inside it",
  "",
].join("\n");

/** Runs the sample project and writes its report as `<reportDir>/sample.json`; fails unless vitest failed as planned. */
export async function writeSampleReport(reportDir: string): Promise<void> {
  const vitest = path.join(repoRoot, "node_modules/vitest/vitest.mjs");
  const run = await runProcess(process.execPath, [vitest, "run", "--root", sample, "--outputFile", path.join(reportDir, "sample.json")], { env: cleanEnv, cwd: sample });
  if (run.code !== 1) throw new Error(`the sample project's run should fail (exit 1), got ${run.code}:\n${run.stdout}\n${run.stderr}`);
}
