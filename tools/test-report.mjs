#!/usr/bin/env node
// What the tests of one run came to, read from the vitest JSON reports that vitest.shared.ts writes
// into GRAPH_SYNC_TEST_REPORT_DIR (one file per package). .ci/run takes the counts for its closing
// line and, on GitHub, a Markdown summary for the run's page; the update-spec workflow puts the same
// Markdown into its pull request body. Plain JavaScript that any Node from 20 on runs, since .ci/run
// and the workflow call it with whatever `node` is first on PATH.
//
//   node tools/test-report.mjs <report dir> counts
//       prints "<passed> <failed>" (failed counts a test file that failed outside its tests as one)
//   node tools/test-report.mjs <report dir> markdown [<status> <check name>]...
//       prints Markdown: the checks given (status "ok" or "FAILED"), tests per package, and the
//       names of the failing tests (never their messages, which may quote any value a test used)
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";

const repoRoot = path.resolve(import.meta.dirname, "..");
/** A pull request body holds 65,536 characters; a long list of names helps nobody anyway. */
const MAX_NAMES = 50;

/**
 * Reads every report in `reportDir`.
 * @param {string} reportDir
 * @returns {Array<{ pkg: string, passed: number, failed: number, skipped: number, failures: string[] }>}
 */
export function readReports(reportDir) {
  return readdirSync(reportDir)
    .filter((file) => file.endsWith(".json"))
    .sort()
    .map((file) => {
      const report = JSON.parse(readFileSync(path.join(reportDir, file), "utf8"));
      const failures = [];
      for (const testFile of [...(report.testResults ?? [])].sort((a, b) => a.name.localeCompare(b.name))) {
        const where = path.relative(repoRoot, testFile.name);
        const failedTests = (testFile.assertionResults ?? []).filter((test) => test.status === "failed");
        for (const test of failedTests) failures.push(`${where} › ${[...test.ancestorTitles, test.title].join(" › ")}`);
        // A file that did not load, or whose hook failed, fails with no failing test in it.
        if (testFile.status === "failed" && failedTests.length === 0) failures.push(`${where} (the file failed outside its tests)`);
      }
      return {
        pkg: path.basename(file, ".json"),
        passed: report.numPassedTests ?? 0,
        failed: Math.max(report.numFailedTests ?? 0, failures.length),
        skipped: (report.numPendingTests ?? 0) + (report.numTodoTests ?? 0),
        failures,
      };
    });
}

/** Backslash-escapes what Markdown would read as markup in a test's name. */
function escapeMarkdown(text) {
  return text.replace(/[\\`*_{}[\]<>|#!~&]/g, "\\$&");
}

/**
 * The Markdown report: checks (pairs of status and name), tests per package, failing tests' names.
 * @param {ReturnType<typeof readReports>} packages
 * @param {Array<{ status: string, name: string }>} checks
 */
export function markdown(packages, checks) {
  const lines = [];
  if (checks.length > 0) {
    lines.push("| check | result |", "| --- | --- |");
    for (const check of checks) lines.push(`| ${escapeMarkdown(check.name)} | ${check.status === "ok" ? "ok" : "**FAILED**"} |`);
    lines.push("");
  }
  if (packages.length === 0) {
    lines.push("No test report was written: the tests did not run (see the log).");
    return `${lines.join("\n")}\n`;
  }
  const total = (key) => packages.reduce((sum, pkg) => sum + pkg[key], 0);
  lines.push(`**Tests: ${total("passed")} passed, ${total("failed")} failed, ${total("skipped")} skipped**`, "");
  lines.push("| package | passed | failed | skipped |", "| --- | ---: | ---: | ---: |");
  for (const pkg of packages) lines.push(`| ${escapeMarkdown(pkg.pkg)} | ${pkg.passed} | ${pkg.failed} | ${pkg.skipped} |`);
  const failures = packages.flatMap((pkg) => pkg.failures);
  if (failures.length > 0) {
    lines.push("", "Failing tests:", "");
    for (const name of failures.slice(0, MAX_NAMES)) lines.push(`- ${escapeMarkdown(name)}`);
    if (failures.length > MAX_NAMES) lines.push(`- … and ${failures.length - MAX_NAMES} more (see the log)`);
  }
  return `${lines.join("\n")}\n`;
}

function main(argv) {
  const [reportDir, format, ...rest] = argv;
  if (!reportDir || (format !== "counts" && format !== "markdown") || rest.length % 2 !== 0) {
    process.stderr.write("usage: node tools/test-report.mjs <report dir> counts | markdown [<ok|FAILED> <check name>]...\n");
    return 2;
  }
  const packages = readReports(reportDir);
  if (format === "counts") {
    process.stdout.write(`${packages.reduce((sum, pkg) => sum + pkg.passed, 0)} ${packages.reduce((sum, pkg) => sum + pkg.failed, 0)}\n`);
  } else {
    const checks = [];
    for (let i = 0; i < rest.length; i += 2) checks.push({ status: rest[i], name: rest[i + 1] });
    process.stdout.write(markdown(packages, checks));
  }
  return 0;
}

if (import.meta.filename === path.resolve(process.argv[1] ?? "")) process.exitCode = main(process.argv.slice(2));
