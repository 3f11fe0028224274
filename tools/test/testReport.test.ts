// tools/test-report.mjs over a real vitest JSON report (support/sampleReport.ts), read the way .ci/run
// and the update-spec workflow read their runs' reports.
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, expect, test } from "vitest";
import { runProcess } from "@graph-sync/test-support";
import { SAMPLE_MARKDOWN, cleanEnv, toolsDir, writeSampleReport } from "./support/sampleReport.js";

const reportScript = path.join(toolsDir, "test-report.mjs");

let reportDir: string;
beforeAll(async () => {
  reportDir = await mkdtemp(path.join(tmpdir(), "graph-sync-test-report-"));
  await writeSampleReport(reportDir);
}, 60_000);
afterAll(async () => {
  await rm(reportDir, { recursive: true, force: true });
});

function report(...args: string[]) {
  return runProcess(process.execPath, [reportScript, reportDir, ...args], { env: cleanEnv });
}

test("counts: the passed tests, and the failed ones plus each file that failed outside its tests", async () => {
  const run = await report("counts");
  expect(run).toMatchObject({ code: 0, stderr: "" });
  expect(run.stdout).toBe("1 3\n");
});

test("markdown: the checks given, tests per package, each failing test by file and name, no failure message", async () => {
  const run = await report("markdown", "ok", "build", "FAILED", "test");
  expect(run).toMatchObject({ code: 0, stderr: "" });
  expect(run.stdout).toBe(["| check | result |", "| --- | --- |", "| build | ok |", "| test | **FAILED** |", "", SAMPLE_MARKDOWN].join("\n"));
  expect(run.stdout).not.toContain("SECRET-IN-MESSAGE");
});

test("markdown without reports says the tests did not run; bad arguments get the usage, exit 2", async () => {
  const empty = await mkdtemp(path.join(tmpdir(), "graph-sync-test-report-empty-"));
  try {
    const run = await runProcess(process.execPath, [reportScript, empty, "markdown"], { env: cleanEnv });
    expect(run).toMatchObject({ code: 0, stdout: "No test report was written: the tests did not run (see the log).\n" });
  } finally {
    await rm(empty, { recursive: true, force: true });
  }
  const bad = await report("html");
  expect(bad.code).toBe(2);
  expect(bad.stderr).toMatch(/^usage: node tools\/test-report\.mjs <report dir> counts \| markdown/);
});
