// The scheduled workflow cannot run here (it fetches from GitHub and opens a pull request), so this
// runs its steps that find the upstream commit, call update-spec and compose the pull request body
// exactly as written in .github/workflows/update-spec.yml, with the repository pointed at a local
// git repository and the raw content host at a local server that serves today's stand-ins.
import { execFile } from "node:child_process";
import { createServer, type Server } from "node:http";
import { mkdir, mkdtemp, readFile, rm } from "node:fs/promises";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, expect, test } from "vitest";
import { parse } from "yaml";
import { workspaceRoot } from "../src/kiota.ts";
import { FRAGMENT, betaFixture, fixtures, openapiDir, v1Fixture } from "./support/updateSpecCli.js";

const csdlFixture = path.join(fixtures, "graph-v1.0.acquireAccessToken.csdl");

interface Workflow {
  env: Record<string, string>;
  jobs: Record<string, { steps: Array<{ id?: string; run?: string; uses?: string }> }>;
}

let server: Server;
let baseUrl: string;
/** What the stand-in of GitHub's raw content host serves, by path. */
let servedFiles: Record<string, Buffer> = {};
const scratch = await mkdtemp(path.join(tmpdir(), "graph-sync-workflow-"));
beforeAll(async () => {
  server = createServer((request, response) => {
    const body = servedFiles[request.url ?? ""];
    if (body) response.writeHead(200, { "content-type": "text/yaml" }).end(body);
    else response.writeHead(404).end();
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await new Promise<void>((resolve) => server.close(() => resolve()));
  await rm(scratch, { recursive: true, force: true });
});

/** Runs a workflow step's script with bash -e, as GitHub's runner does, and returns its stdout. */
function runStep(script: string, env: Record<string, string>): Promise<string> {
  return new Promise((resolve, reject) =>
    execFile("bash", ["-e", "-c", script], { cwd: workspaceRoot, timeout: 110_000, env: { ...process.env, ...env } }, (error, stdout, stderr) =>
      error ? reject(new Error(`${error.message}\n${stdout}\n${stderr}`)) : resolve(stdout),
    ),
  );
}

/** A git repository with one commit on master, standing in for msgraph-metadata; returns the commit. */
async function upstreamRepository(dir: string): Promise<string> {
  const git = (...args: string[]) =>
    new Promise<string>((resolve, reject) =>
      execFile("git", args, { cwd: dir, timeout: 30_000, env: { ...process.env, GIT_AUTHOR_NAME: "t", GIT_AUTHOR_EMAIL: "t@example.invalid", GIT_COMMITTER_NAME: "t", GIT_COMMITTER_EMAIL: "t@example.invalid" } }, (error, stdout) =>
        error ? reject(error) : resolve(stdout.trim()),
      ),
    );
  await mkdir(dir, { recursive: true });
  await git("init", "-q", "-b", "master");
  await git("commit", "-q", "--allow-empty", "-m", "stand-in for msgraph-metadata");
  return git("rev-parse", "HEAD");
}

test("the workflow reads msgraph-metadata at one commit, slices it as written, and names the commit in the pull request", { timeout: 120_000 }, async () => {
  const workflow = parse(await readFile(path.join(workspaceRoot, ".github/workflows/update-spec.yml"), "utf8")) as Workflow;
  expect(workflow.env["METADATA_REPOSITORY"]).toBe("https://github.com/microsoftgraph/msgraph-metadata");
  expect(workflow.env["METADATA_RAW"]).toBe("https://raw.githubusercontent.com/microsoftgraph/msgraph-metadata");
  const steps = workflow.jobs["update-spec"]!.steps;
  const upstream = steps.find((step) => step.id === "upstream")!;
  const slice = steps.find((step) => step.id === "slice")!;
  const body = steps.find((step) => step.run?.includes("body.md"))!;
  expect(slice.run).toContain('npm run update-spec -- "$METADATA_RAW/$UPSTREAM_COMMIT/openapi/v1.0/openapi.yaml" --beta "$METADATA_RAW/$UPSTREAM_COMMIT/openapi/beta/openapi.yaml"');
  expect(slice.run).toContain('--csdl "$METADATA_RAW/$UPSTREAM_COMMIT/schemas/v1.0-Prod.csdl" --allow-breaking --report "$RUNNER_TEMP/report.md"');
  expect(steps.map((step) => step.run ?? step.uses)).toContain("npm run generate");
  expect(steps.some((step) => step.uses?.startsWith("peter-evans/create-pull-request@"))).toBe(true);

  // The commit: resolved with git ls-remote, here from a local stand-in of the repository.
  const commit = await upstreamRepository(path.join(scratch, "msgraph-metadata"));
  const upstreamOutput = path.join(scratch, "upstream-output");
  await runStep(upstream.run!, { METADATA_REPOSITORY: path.join(scratch, "msgraph-metadata"), GITHUB_OUTPUT: upstreamOutput });
  expect(await readFile(upstreamOutput, "utf8")).toBe(`commit=${commit}\n`);

  const served: Record<string, Buffer> = { [`/${commit}/openapi/v1.0/openapi.yaml`]: await readFile(v1Fixture), [`/${commit}/openapi/beta/openapi.yaml`]: await readFile(betaFixture), [`/${commit}/schemas/v1.0-Prod.csdl`]: await readFile(csdlFixture) };
  const before = await readFile(path.join(openapiDir, FRAGMENT), "utf8");
  const outputFile = path.join(scratch, "github-output");
  const env = { METADATA_RAW: baseUrl, METADATA_REPOSITORY: "https://github.com/microsoftgraph/msgraph-metadata", UPSTREAM_COMMIT: commit, RUNNER_TEMP: scratch, GITHUB_OUTPUT: outputFile };
  servedFiles = served;
  const stdout = await runStep(slice.run!, env);
  expect(stdout).toContain("The fragments are up to date: nothing written.");
  const report = await readFile(path.join(scratch, "report.md"), "utf8");
  expect(report).toMatch(new RegExp(`^## v1\\.0 .*\n\nRead ${baseUrl}/${commit}/openapi/v1\\.0/openapi\\.yaml \\(sha256 [0-9a-f]{64}, \\d+ bytes\\)\\.\n\nIts slice is the committed one, so the fragment keeps recording what it was sliced from: graph-v1\\.0\\.yaml .*\n\nAgrees with Graph's CSDL ${baseUrl}/${commit}/schemas/v1\\.0-Prod\\.csdl \\(sha256 [0-9a-f]{64}, \\d+ bytes\\): .*\n\nNo changes\\.\n\n## beta `));
  expect(report).toMatch(/\n\nNo changes\.\n$/);
  expect(await readFile(outputFile, "utf8")).toBe("breaking=false\n");
  expect(await readFile(path.join(openapiDir, FRAGMENT), "utf8")).toBe(before);

  // The body step's own environment (ci-workflows' test result beside the report): an empty test
  // report folder, a passed outcome, and the run summary GitHub would collect.
  const summary = path.join(scratch, "step-summary.md");
  await runStep(body.run!, { ...env, GRAPH_SYNC_TEST_REPORT_DIR: path.join(scratch, "test-reports"), TESTS_OUTCOME: "success", RUN_URL: "https://github.com/example/graph-sync/actions/runs/1", GITHUB_STEP_SUMMARY: summary });
  const prBody = await readFile(path.join(scratch, "body.md"), "utf8");
  expect(prBody).toContain(`from msgraph-metadata at commit [\`${commit}\`](https://github.com/microsoftgraph/msgraph-metadata/tree/${commit})`);
  expect(prBody).toContain(report);
  expect(prBody).toContain("## Tests on this tree: passed");
  expect(await readFile(summary, "utf8")).toBe(prBody);
});
