// Graph's CSDL is the model its OpenAPI description is converted from: a second, independent source.
// The fixture holds the elements that define acquireAccessToken, sliced unchanged from the real
// schemas/v1.0-Prod.csdl (its header names the msgraph-metadata commit); the committed fragment must
// agree with it, and update-spec --csdl refuses a slice that does not, naming each difference.
import { createServer, type Server } from "node:http";
import { readFile } from "node:fs/promises";
import type { AddressInfo } from "node:net";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { parse } from "yaml";
import { crossCheckCsdl } from "../src/crossCheckCsdl.ts";
import { readAcquireAccessTokenCsdl } from "../src/csdl.ts";
import type { OpenApiDocument } from "../src/sliceDescription.ts";
import { BETA_FRAGMENT, fixtureVariant, fragmentWorkDirs, readFragment, fixtures, openapiDir, updateSpec, updateSpecProcess, v1Fixture } from "./support/updateSpecCli.js";

const csdlFixture = path.join(fixtures, "graph-v1.0.acquireAccessToken.csdl");
const csdlText = await readFile(csdlFixture, "utf8");

const workDir = fragmentWorkDirs();
const read = readFragment;

describe("the CSDL fixture", () => {
  test("names the upstream commit and file it was sliced from", () => {
    expect(csdlText).toMatch(/microsoftgraph\/msgraph-metadata, schemas\/v1\.0-Prod\.csdl\n\s+at commit [0-9a-f]{40} /);
    expect(csdlText).toMatch(/sha256 [0-9a-f]{64}, git blob [0-9a-f]{40}/);
  });

  test("holds exactly the enum, the key/value pair, the action and its binding type", () => {
    const elements = [...csdlText.matchAll(/^ {6}<(\w+) Name="(\w+)"/gm)].map((match) => `${match[1]} ${match[2]}`);
    expect(elements).toEqual(["EnumType synchronizationSecret", "ComplexType synchronizationSecretKeyStringValuePair", "EntityType synchronization", "Action acquireAccessToken"]);
    const facts = readAcquireAccessTokenCsdl(csdlText, "fixture");
    expect(facts.secretKeys).toHaveLength(45);
    expect(facts.secretKeys.slice(0, 3)).toEqual(["None", "UserName", "Password"]);
    expect(facts.secretKeys.slice(-3)).toEqual(["ValidateDomain", "TestReferences", "ConnectionString"]);
    expect(facts.keyValuePair).toEqual([
      { name: "key", type: "microsoft.graph.synchronizationSecret", nullable: false },
      { name: "value", type: "Edm.String", nullable: true },
    ]);
    expect(facts.actions).toEqual([
      { name: "acquireAccessToken", bindingType: "microsoft.graph.synchronization", parameters: [{ name: "credentials", type: "Collection(microsoft.graph.synchronizationSecretKeyStringValuePair)", nullable: true }] },
    ]);
    expect(facts.bindingTypes).toEqual(["microsoft.graph.synchronization"]);
  });
});

describe("the committed fragment", () => {
  test("agrees with the CSDL: enum members and their order, property names, types and nullability, parameter names and types", async () => {
    const fragment = parse(await read(openapiDir)) as OpenApiDocument;
    expect(crossCheckCsdl(fragment, readAcquireAccessTokenCsdl(csdlText, "fixture"))).toEqual([]);
    // The same members in the same order, read independently from each source.
    const schema = (fragment.components!["schemas"] as Record<string, { enum: string[] }>)["microsoft.graph.synchronizationSecret"]!;
    expect(schema.enum).toEqual(readAcquireAccessTokenCsdl(csdlText, "fixture").secretKeys);
  });
});

describe("update-spec --csdl", () => {
  let server: Server;
  let baseUrl: string;
  beforeAll(async () => {
    server = createServer((request, response) => {
      if (request.url === "/schemas/v1.0-Prod.csdl") response.writeHead(200, { "content-type": "application/xml" }).end(csdlText);
      else response.writeHead(404).end();
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  test("accepts a slice that agrees (the CSDL from a file or a URL) and says so in the report", async () => {
    for (const csdl of [csdlFixture, `${baseUrl}/schemas/v1.0-Prod.csdl`]) {
      const dir = await workDir();
      const run = await updateSpec([v1Fixture, "--csdl", csdl, "--out-dir", dir]);
      expect(run.code, run.stderr).toBe(0);
      expect(run.stdout).toMatch(/Agrees with Graph's CSDL .*(graph-v1\.0\.acquireAccessToken|v1\.0-Prod)\.csdl \(sha256 [0-9a-f]{64}, \d+ bytes\): the enum's members and order/);
    }
  });

  const disagreements: Array<[string, (text: string) => string, string[]]> = [
    [
      "a member missing and two swapped",
      (text) =>
        text
          .replace('        <Member Name="ConnectionString" Value="250" />\n', "")
          .replace('        <Member Name="UserName" Value="1" />\n        <Member Name="Password" Value="2" />\n', '        <Member Name="Password" Value="2" />\n        <Member Name="UserName" Value="1" />\n'),
      [
        "schema microsoft.graph.synchronizationSecret: member ConnectionString is in the slice, not in the CSDL",
        "schema microsoft.graph.synchronizationSecret: members in another order: the CSDL has Password at position 2 of the members both list, the slice UserName",
      ],
    ],
    [
      "a new member",
      (text) => text.replace('        <Member Name="ConnectionString" Value="250" />\n', '        <Member Name="ConnectionString" Value="250" />\n        <Member Name="Oauth2ClientCertificate" Value="251" />\n'),
      ["schema microsoft.graph.synchronizationSecret: member Oauth2ClientCertificate is in the CSDL, not in the slice"],
    ],
    [
      "a property's type, another's nullability, a third property",
      (text) =>
        text
          .replace('<Property Name="key" Type="graph.synchronizationSecret" Nullable="false" />', '<Property Name="key" Type="Edm.String" Nullable="false" />')
          .replace('<Property Name="value" Type="Edm.String" />', '<Property Name="value" Type="Edm.String" Nullable="false" />\n        <Property Name="expiry" Type="Edm.DateTimeOffset" />'),
      [
        "schema microsoft.graph.synchronizationSecretKeyStringValuePair: property key: type microsoft.graph.synchronizationSecret in the slice, Edm.String (string) in the CSDL",
        "schema microsoft.graph.synchronizationSecretKeyStringValuePair: property value: nullable in the slice, Nullable=\"false\" in the CSDL",
        "schema microsoft.graph.synchronizationSecretKeyStringValuePair: property expiry is in the CSDL (Edm.DateTimeOffset), not in the slice",
      ],
    ],
    [
      "a renamed parameter",
      (text) => text.replace('<Parameter Name="credentials"', '<Parameter Name="secrets"'),
      [
        "POST /applications/{application-id}/synchronization/acquireAccessToken: parameter secrets is in the CSDL (Collection(microsoft.graph.synchronizationSecretKeyStringValuePair)), not in the slice",
        "POST /applications/{application-id}/synchronization/acquireAccessToken: parameter credentials is in the slice, not in the CSDL",
        "POST /servicePrincipals/{servicePrincipal-id}/synchronization/acquireAccessToken: parameter secrets is in the CSDL (Collection(microsoft.graph.synchronizationSecretKeyStringValuePair)), not in the slice",
      ],
    ],
    [
      "another binding type",
      (text) => text.replace('<Parameter Name="bindingParameter" Type="graph.synchronization" />', '<Parameter Name="bindingParameter" Type="graph.synchronizationJob" />').replace('<EntityType Name="synchronization" ', '<EntityType Name="synchronizationJob" '),
      ["POST /applications/{application-id}/synchronization/acquireAccessToken: the CSDL has no action acquireAccessToken bound to microsoft.graph.synchronization (it binds it to microsoft.graph.synchronizationJob)"],
    ],
  ];

  test.each(disagreements)("refuses a slice the CSDL disagrees with (%s), naming each difference; nothing written", async (_name, edit, named) => {
    const dir = await workDir();
    const before = [await read(dir), await read(dir, BETA_FRAGMENT)];
    const csdl = await fixtureVariant(dir, csdlFixture, "disagrees.csdl", edit);
    // A slice that would be written (a changed description), so that "nothing written" means something.
    const changed = await fixtureVariant(dir, v1Fixture, "changed.yaml", (text) => text.replace("description: The value of the secret.", "description: The secret's value."));
    const run = await updateSpec([changed, "--csdl", csdl, "--out-dir", dir]);
    expect(run.code, run.stdout).toBe(2);
    expect(run.stderr).toMatch(/changed\.yaml disagrees with Graph's CSDL .*disagrees\.csdl in \d+ place\(s\):/);
    for (const difference of named) expect(run.stderr).toContain(`  - ${difference}\n`);
    expect(run.stderr).toContain("Nothing was written.");
    expect([await read(dir), await read(dir, BETA_FRAGMENT)]).toEqual(before);
  });

  test.each<[string, (text: string) => string, RegExp]>([
    ["not XML", () => "this is not < xml", /disagrees-input\.csdl is not XML \(line 1: /],
    ["XML of another namespace", (text) => text.replace('Namespace="microsoft.graph"', 'Namespace="contoso.model"'), /is not Graph's CSDL: it has no Schema with Namespace="microsoft\.graph"/],
    ["no acquireAccessToken action", (text) => text.replace('<Action Name="acquireAccessToken"', '<Action Name="acquireToken"'), /has no bound Action Name="acquireAccessToken" in Schema microsoft\.graph/],
    ["no enum", (text) => text.replace('<EnumType Name="synchronizationSecret">', '<EnumType Name="synchronizationSecrets">'), /has no EnumType Name="synchronizationSecret" in Schema microsoft\.graph/],
  ])("a CSDL that is %s: one clear message, exit 2, nothing written", async (_name, edit, message) => {
    const dir = await workDir();
    const before = await read(dir);
    const csdl = await fixtureVariant(dir, csdlFixture, "disagrees-input.csdl", edit);
    const run = await updateSpec([v1Fixture, "--csdl", csdl, "--out-dir", dir]);
    expect(run.code, run.stdout).toBe(2);
    expect(run.stderr).toMatch(message);
    expect(run.stderr.trim().split("\n")).toHaveLength(2);
    expect(await read(dir)).toBe(before);
  });

  test("the real bin exits 2 on a disagreement and 2 on a CSDL URL that answers 404", async () => {
    const dir = await workDir();
    const csdl = await fixtureVariant(dir, csdlFixture, "short.csdl", (text) => text.replace('        <Member Name="None" Value="0" />\n', ""));
    const refused = await updateSpecProcess([v1Fixture, "--csdl", csdl, "--out-dir", dir]);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain("  - schema microsoft.graph.synchronizationSecret: member None is in the slice, not in the CSDL\n");
    const missing = await updateSpecProcess([v1Fixture, "--csdl", `${baseUrl}/schemas/nope.csdl`, "--out-dir", dir]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/Cannot download http:\/\/127\.0\.0\.1:\d+\/schemas\/nope\.csdl: the server answered 404 Not Found\. Check the URL \(the workflow uses msgraph-metadata's schemas\/v1\.0-Prod\.csdl\)/);
  });
});
