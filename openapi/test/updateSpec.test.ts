// update-spec over fixtures in the style of Graph's published description (OpenAPI.NET.OData's
// output, unrelated paths and schemas included): the committed fragments are exactly what it makes
// of them, it reports each change, refuses breaking ones, and writes nothing on bad input.
import { createServer, type Server } from "node:http";
import { readFile, rm } from "node:fs/promises";
import type { AddressInfo } from "node:net";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import {
  BETA_FRAGMENT,
  FRAGMENT,
  LAST_ENUM_MEMBER,
  betaFixture,
  fragmentWorkDirs,
  readFragment,
  fixtureVariant,
  openapiDir,
  updateSpec,
  updateSpecProcess,
  v1Fixture,
} from "./support/updateSpecCli.js";

const workDir = fragmentWorkDirs();

/** A port that was just free: a server listened on it and closed. */
async function closedPort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, "127.0.0.1", resolve));
  const { port } = probe.address() as AddressInfo;
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  return port;
}

const read = readFragment;

describe("the committed fragments", () => {
  test("are byte for byte what update-spec makes of today's descriptions, and a second run changes nothing", async () => {
    const dir = await workDir();
    await rm(path.join(dir, FRAGMENT));
    await rm(path.join(dir, BETA_FRAGMENT));

    const first = await updateSpec([v1Fixture, "--beta", betaFixture, "--out-dir", dir]);
    expect(first.code, first.stderr).toBe(0);
    expect(await read(dir)).toBe(await read(openapiDir));
    expect(await read(dir, BETA_FRAGMENT)).toBe(await read(openapiDir, BETA_FRAGMENT));

    const second = await updateSpec([v1Fixture, "--beta", betaFixture, "--out-dir", dir]);
    expect(second.code, second.stderr).toBe(0);
    expect(second.stdout).toContain("The fragments are up to date: nothing written.");
    expect(second.stdout.match(/^No changes\.$/gm)).toHaveLength(2);
    expect(await read(dir)).toBe(await read(openapiDir));
  });

  test("keep the two paths and what they reach, nothing of the noise around them", async () => {
    const fragment = await read(openapiDir);
    for (const noise of ["/applications:", "synchronization/secrets", "validateCredentials", "microsoft.graph.entity", "synchronizationStatusCode", "ReferenceCreate", "parameters/top", "examples:", "applications.application\n"]) {
      expect(fragment).not.toContain(noise);
    }
    expect(fragment).toContain("'@odata.type'");
    expect(fragment).toContain("style: simple");
    expect(fragment).toContain("Acquire an OAuth access token from the synchronization resource to authorize");
  });
});

describe("the report", () => {
  test("an added enum member is named and not breaking; it is written", async () => {
    const dir = await workDir();
    const added = await fixtureVariant(dir, v1Fixture, "added.yaml", (text) => text.replace(LAST_ENUM_MEMBER, `${LAST_ENUM_MEMBER}        - Oauth2ClientCertificate\n`));
    const run = await updateSpec([added, "--out-dir", dir]);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toContain("- added: schema microsoft.graph.synchronizationSecret: enum member Oauth2ClientCertificate");
    expect(run.stdout).not.toContain("breaking");
    expect(await read(dir)).toContain("        - ConnectionString\n        - Oauth2ClientCertificate\n");
  });

  test("a removed enum member is breaking: exit 1 and nothing written, unless --allow-breaking", async () => {
    const dir = await workDir();
    const before = await read(dir);
    const removed = await fixtureVariant(dir, v1Fixture, "removed.yaml", (text) => text.replace(LAST_ENUM_MEMBER, ""));
    // The real bin, once: its exit code is what the workflow and CI see.
    const refused = await updateSpecProcess([removed, "--out-dir", dir]);
    expect(refused.code).toBe(1);
    expect(refused.stdout).toContain("- breaking: schema microsoft.graph.synchronizationSecret: enum member ConnectionString removed");
    expect(refused.stdout).toContain("1 breaking change(s): nothing written");
    expect(await read(dir)).toBe(before);

    const allowed = await updateSpec([removed, "--out-dir", dir, "--allow-breaking"]);
    expect(allowed.code, allowed.stderr).toBe(0);
    expect(await read(dir)).not.toContain("ConnectionString");
  });

  test("names removed properties, changed types and moved deprecation dates", async () => {
    const dir = await workDir();
    const changed = await fixtureVariant(dir, v1Fixture, "changed.yaml", (text) =>
      text
        .replace("        value:\n          type: string\n          description: The value of the secret.", "        value:\n          type: integer\n          description: The value of the secret.")
        .replace(/        target:\n          type: string\n          nullable: true\n    microsoft.graph.ODataErrors.InnerError/, "    microsoft.graph.ODataErrors.InnerError"),
    );
    const run = await updateSpec([changed, "--out-dir", dir]);
    expect(run.code).toBe(1);
    expect(run.stdout).toContain("- breaking: schema microsoft.graph.synchronizationSecretKeyStringValuePair: property value type string → integer");
    expect(run.stdout).toContain("- breaking: schema microsoft.graph.ODataErrors.ErrorDetails: property target removed");

    const moved = await fixtureVariant(dir, betaFixture, "moved.yaml", (text) => text.replaceAll("removalDate: '2027-07-06'", "removalDate: '2027-10-06'"));
    const beta = await updateSpec([v1Fixture, "--beta", moved, "--out-dir", dir]);
    expect(beta.code, beta.stderr).toBe(0);
    expect(beta.stdout).toContain("- deprecated: POST /servicePrincipals/{servicePrincipal-id}/synchronization/acquireAccessToken: deprecation removalDate 2027-07-06 → 2027-10-06");
    expect(await read(dir, BETA_FRAGMENT)).toContain("removalDate: '2027-10-06'");
  });

  test("--report writes the same report as Markdown for the workflow's pull request", async () => {
    const dir = await workDir();
    const report = path.join(dir, "report.md");
    const run = await updateSpec([v1Fixture, "--beta", betaFixture, "--out-dir", dir, "--report", report]);
    expect(run.code, run.stderr).toBe(0);
    const text = await readFile(report, "utf8");
    expect(text).toMatch(/^## v1\.0 \(acquire-access-token\.yaml, from .*graph-v1\.0\.yaml\)\n\nRead graph-v1\.0\.yaml \(sha256 [0-9a-f]{64}, \d+ bytes\)\.\n\nNo changes\.\n\n## beta/);
  });
});

describe("bad input: one clear message, exit 2, nothing written", () => {
  let server: Server;
  let baseUrl: string;
  beforeAll(async () => {
    const fixture = await readFile(v1Fixture);
    server = createServer((request, response) => {
      if (request.url === "/v1.0/openapi.yaml") response.writeHead(200, { "content-type": "application/yaml" }).end(fixture);
      else response.writeHead(404).end("Not Found");
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  test("a description served over http is read like a file", async () => {
    const dir = await workDir();
    const run = await updateSpec([`${baseUrl}/v1.0/openapi.yaml`, "--out-dir", dir]);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/v1\.0: http:\/\/127\.0\.0\.1:\d+\/v1\.0\/openapi\.yaml: 0\.0 MB read in [\d.]+ s, parsed in [\d.]+ s, sliced in [\d.]+ s/);
    expect(await read(dir)).toBe(await read(openapiDir));
  });

  const cases: Array<[string, (dir: string) => Promise<string[]>, RegExp]> = [
    ["a URL that answers 404", async () => [`${baseUrl}/missing.yaml`], /Cannot download http:\/\/127\.0\.0\.1:\d+\/missing\.yaml: the server answered 404 Not Found/],
    ["a URL nothing listens on", async () => [`http://127.0.0.1:${await closedPort()}/openapi.yaml`], /Cannot download http:\/\/127\.0\.0\.1:\d+\/openapi\.yaml \(ECONNREFUSED\)/],
    ["a file that does not exist", async (dir) => [path.join(dir, "nope.yaml")], /Cannot read .*nope\.yaml \(ENOENT\)/],
    ["a file that is not YAML", async (dir) => [await fixtureVariant(dir, v1Fixture, "broken.yaml", (text) => `${text}\n  bad: [unclosed\n`)], /is not YAML or JSON/],
    ["a file that is not OpenAPI", async (dir) => [await fixtureVariant(dir, v1Fixture, "package.json", () => '{ "name": "not-a-description" }')], /is not an OpenAPI description \(it has no 'openapi' version field\)/],
    [
      "a description without the paths",
      async (dir) => [await fixtureVariant(dir, v1Fixture, "no-path.yaml", (text) => text.replace("'/servicePrincipals/{servicePrincipal-id}/synchronization/acquireAccessToken':", "'/servicePrincipals/{servicePrincipal-id}/synchronization/acquireToken':"))],
      /does not describe \/servicePrincipals\/\{servicePrincipal-id\}\/synchronization\/acquireAccessToken/,
    ],
    [
      "a $ref the slice needs that does not resolve",
      async (dir) => [await fixtureVariant(dir, v1Fixture, "dangling.yaml", (text) => text.replace("$ref: '#/components/schemas/microsoft.graph.ODataErrors.InnerError'", "$ref: '#/components/schemas/microsoft.graph.ODataErrors.InnerErrors'"))],
      /references the slice needs that do not resolve: Can't resolve \$ref.*\(at #\/components\/schemas\/microsoft\.graph\.ODataErrors\.MainError/,
    ],
    [
      "an enum with a member twice",
      async (dir) => [await fixtureVariant(dir, v1Fixture, "twice.yaml", (text) => text.replace(LAST_ENUM_MEMBER, `${LAST_ENUM_MEMBER}        - Oauth2AuthorizationCode\n`))],
      /the enum microsoft\.graph\.synchronizationSecret lists Oauth2AuthorizationCode more than once/,
    ],
    ["beta's description given as v1.0", async () => [betaFixture], /describes Graph beta, not v1\.0/],
    [
      "a beta deprecation without its removal date",
      async (dir) => [v1Fixture, "--beta", await fixtureVariant(dir, betaFixture, "undated.yaml", (text) => text.replaceAll("        removalDate: '2027-07-06'\n", ""))],
      /x-ms-deprecation has no removalDate/,
    ],
  ];

  test.each(cases)("%s", async (_name, args, message) => {
    const dir = await workDir();
    const before = [await read(dir), await read(dir, BETA_FRAGMENT)];
    const run = await updateSpec([...(await args(dir)), "--out-dir", dir]);
    expect(run.code, run.stdout).toBe(2);
    expect(run.stderr).toMatch(message);
    expect(run.stderr).toContain("Nothing was written.");
    expect(run.stderr.trim().split("\n")).toHaveLength(2);
    expect([await read(dir), await read(dir, BETA_FRAGMENT)]).toEqual(before);
  });

  test("the noise may hold a dangling $ref: the slice does not need it", async () => {
    const dir = await workDir();
    const noisy = await fixtureVariant(dir, v1Fixture, "noisy.yaml", (text) => text.replace("$ref: '#/components/schemas/ReferenceCreate'", "$ref: '#/components/schemas/ReferenceUpdate'"));
    const run = await updateSpec([noisy, "--out-dir", dir]);
    expect(run.code, run.stderr).toBe(0);
  });
});
