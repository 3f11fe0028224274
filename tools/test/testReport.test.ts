// tools/test-report.mjs over a real vitest JSON report: a small vitest project with one test of each
// outcome and a file that does not load is run in a child process, then read the way .ci/run and the
// update-spec workflow read their runs' reports.
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, expect, test } from "vitest";
import { runProcess } from "@graph-sync/test-support";

const toolsDir = path.resolve(import.meta.dirname, "..");
const repoRoot = path.resolve(toolsDir, "..");
const sample = path.join(import.meta.dirname, "fixtures/report-sample");
const reportScript = path.join(toolsDir, "test-report.mjs");

// Without the variables of the run around this test: with GRAPH_SYNC_TEST_REPORT_DIR the sample's
// failures would land in CI's own report.
const env = Object.fromEntries(Object.entries(process.env).filter(([name]) => !/^(GRAPH_SYNC_TEST_REPORT_DIR|VITEST.*|NODE_OPTIONS)$/.test(name)));

let reportDir: string;
beforeAll(async () => {
  reportDir = await mkdtemp(path.join(tmpdir(), "graph-sync-test-report-"));
  const vitest = path.join(repoRoot, "node_modules/vitest/vitest.mjs");
  const run = await runProcess(process.execPath, [vitest, "run", "--root", sample, "--outputFile", path.join(reportDir, "sample.json")], { env, cwd: sample });
  expect(run.code, `${run.stdout}\n${run.stderr}`).toBe(1);
}, 60_000);
afterAll(async () => {
  await rm(reportDir, { recursive: true, force: true });
});

function report(...args: string[]) {
  return runProcess(process.execPath, [reportScript, reportDir, ...args], { env });
}

test("counts: the passed tests, and the failed ones plus each file that failed outside its tests", async () => {
  const run = await report("counts");
  expect(run).toMatchObject({ code: 0, stderr: "" });
  expect(run.stdout).toBe("1 3\n");
});

test("markdown: the checks given, tests per package, each failing test by file and name, no failure message", async () => {
  const run = await report("markdown", "ok", "build", "FAILED", "test");
  expect(run).toMatchObject({ code: 0, stderr: "" });
  expect(run.stdout).toBe(
    [
      "| check | result |",
      "| --- | --- |",
      "| build | ok |",
      "| test | **FAILED** |",
      "",
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
    ].join("\n"),
  );
  expect(run.stdout).not.toContain("SECRET-IN-MESSAGE");
});

test("markdown without reports says the tests did not run; bad arguments get the usage, exit 2", async () => {
  const empty = await mkdtemp(path.join(tmpdir(), "graph-sync-test-report-empty-"));
  try {
    const run = await runProcess(process.execPath, [reportScript, empty, "markdown"], { env });
    expect(run).toMatchObject({ code: 0, stdout: "No test report was written: the tests did not run (see the log).\n" });
  } finally {
    await rm(empty, { recursive: true, force: true });
  }
  const bad = await report("html");
  expect(bad.code).toBe(2);
  expect(bad.stderr).toMatch(/^usage: node tools\/test-report\.mjs <report dir> counts \| markdown/);
});
