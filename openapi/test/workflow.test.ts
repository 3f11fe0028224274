// The scheduled workflow cannot run here (it fetches from GitHub and opens a pull request), so this
// runs the step that calls update-spec exactly as written in .github/workflows/update-spec.yml,
// with the description URLs pointed at a local server that serves today's stand-ins.
import { execFile } from "node:child_process";
import { createServer, type Server } from "node:http";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, expect, test } from "vitest";
import { parse } from "yaml";
import { workspaceRoot } from "../src/kiota.ts";
import { FRAGMENT, betaFixture, openapiDir, v1Fixture } from "./support/updateSpecCli.js";

interface Workflow {
  env: Record<string, string>;
  jobs: Record<string, { steps: Array<{ id?: string; run?: string; uses?: string }> }>;
}

let server: Server;
let baseUrl: string;
const scratch = await mkdtemp(path.join(tmpdir(), "graph-sync-workflow-"));
beforeAll(async () => {
  const served: Record<string, Buffer> = { "/v1.0/openapi.yaml": await readFile(v1Fixture), "/beta/openapi.yaml": await readFile(betaFixture) };
  server = createServer((request, response) => {
    const body = served[request.url ?? ""];
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

test("the workflow's update-spec step runs as written: report file, step output, nothing to write today", { timeout: 120_000 }, async () => {
  const workflow = parse(await readFile(path.join(workspaceRoot, ".github/workflows/update-spec.yml"), "utf8")) as Workflow;
  expect(workflow.env["V1_DESCRIPTION"]).toBe("https://raw.githubusercontent.com/microsoftgraph/msgraph-metadata/master/openapi/v1.0/openapi.yaml");
  expect(workflow.env["BETA_DESCRIPTION"]).toBe("https://raw.githubusercontent.com/microsoftgraph/msgraph-metadata/master/openapi/beta/openapi.yaml");
  const steps = workflow.jobs["update-spec"]!.steps;
  const slice = steps.find((step) => step.id === "slice")!;
  expect(slice.run).toContain('npm run update-spec -- "$V1_DESCRIPTION" --beta "$BETA_DESCRIPTION" --allow-breaking --report "$RUNNER_TEMP/report.md"');
  expect(steps.map((step) => step.run ?? step.uses)).toContain("npm run generate");
  expect(steps.some((step) => step.uses?.startsWith("peter-evans/create-pull-request@"))).toBe(true);

  const before = await readFile(path.join(openapiDir, FRAGMENT), "utf8");
  const outputFile = path.join(scratch, "github-output");
  const { stdout } = await new Promise<{ stdout: string }>((resolve, reject) =>
    execFile("bash", ["-e", "-c", slice.run!], {
      cwd: workspaceRoot,
      timeout: 110_000,
      env: { ...process.env, V1_DESCRIPTION: `${baseUrl}/v1.0/openapi.yaml`, BETA_DESCRIPTION: `${baseUrl}/beta/openapi.yaml`, RUNNER_TEMP: scratch, GITHUB_OUTPUT: outputFile },
    }, (error, stdout, stderr) => (error ? reject(new Error(`${error.message}\n${stdout}\n${stderr}`)) : resolve({ stdout }))),
  );
  expect(stdout).toContain("The fragments are up to date: nothing written.");
  expect(await readFile(path.join(scratch, "report.md"), "utf8")).toMatch(/^## v1\.0 .*\n\nNo changes\.\n\n## beta .*\n\nNo changes\.\n$/);
  expect(await readFile(outputFile, "utf8")).toBe("breaking=false\n");
  expect(await readFile(path.join(openapiDir, FRAGMENT), "utf8")).toBe(before);
});
