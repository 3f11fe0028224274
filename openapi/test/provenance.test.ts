// Each fragment records what it was sliced from (info.x-graph-sync-sliced-from): the description as
// given (its URL, or its file name), the SHA-256 of its bytes and its size; no time, so the same
// input keeps giving the same bytes.
import { createHash } from "node:crypto";
import { createServer, type Server } from "node:http";
import { readFile, rm } from "node:fs/promises";
import type { AddressInfo } from "node:net";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { parse } from "yaml";
import { PROVENANCE_EXTENSION, type Provenance } from "../src/provenance.ts";
import { BETA_FRAGMENT, FRAGMENT, LAST_ENUM_MEMBER, betaFixture, fragmentWorkDirs, readFragment, fixtureVariant, openapiDir, updateSpec, v1Fixture } from "./support/updateSpecCli.js";

const workDir = fragmentWorkDirs();

const read = readFragment;
const provenance = async (dir: string, file = FRAGMENT) => (parse(await read(dir, file)) as { info: Record<string, Provenance> }).info[PROVENANCE_EXTENSION];
const digest = async (file: string) => {
  const bytes = await readFile(file);
  return { sha256: createHash("sha256").update(bytes).digest("hex"), size: bytes.byteLength };
};

describe("the committed fragments", () => {
  test("name the fixtures they were sliced from, with their SHA-256 and size", async () => {
    expect(await provenance(openapiDir)).toEqual({ source: "graph-v1.0.yaml", ...(await digest(v1Fixture)) });
    expect(await provenance(openapiDir, BETA_FRAGMENT)).toEqual({ source: "graph-beta.yaml", ...(await digest(betaFixture)) });
  });

  test("carry no time: the provenance is the last key of info, and holds exactly source, sha256 and size", async () => {
    const info = (parse(await read(openapiDir)) as { info: Record<string, unknown> }).info;
    expect(Object.keys(info).at(-1)).toBe(PROVENANCE_EXTENSION);
    expect(Object.keys(info[PROVENANCE_EXTENSION] as object)).toEqual(["source", "sha256", "size"]);
  });
});

describe("what update-spec records", () => {
  let server: Server;
  let baseUrl: string;
  beforeAll(async () => {
    const fixture = await readFile(v1Fixture);
    server = createServer((request, response) => {
      if (request.url === "/v1.0/openapi.yaml") response.writeHead(200, { "content-type": "application/yaml" }).end(fixture);
      else response.writeHead(404).end();
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  test("a URL is recorded whole; the digest is of the bytes served", async () => {
    const dir = await workDir();
    await rm(path.join(dir, FRAGMENT));
    const run = await updateSpec([`${baseUrl}/v1.0/openapi.yaml`, "--out-dir", dir]);
    expect(run.code, run.stderr).toBe(0);
    expect(await provenance(dir)).toEqual({ source: `${baseUrl}/v1.0/openapi.yaml`, ...(await digest(v1Fixture)) });
    expect(run.stdout).toContain(`Read ${baseUrl}/v1.0/openapi.yaml (sha256 ${(await digest(v1Fixture)).sha256}, ${(await digest(v1Fixture)).size} bytes).`);
  });

  test("a file is recorded by its name, wherever it lies and however the path was written", async () => {
    const dir = await workDir();
    await rm(path.join(dir, FRAGMENT));
    const run = await updateSpec([path.relative(dir, v1Fixture), "--out-dir", dir], dir);
    expect(run.code, run.stderr).toBe(0);
    expect(await read(dir)).toBe(await read(openapiDir));
  });

  test("a description that changed only outside the slice leaves the fragment, provenance included, as it is; the report says so", async () => {
    const dir = await workDir();
    const elsewhere = await fixtureVariant(dir, v1Fixture, "elsewhere.yaml", (text) => text.replace("Get the list of applications in this organization.", "Get the list of applications in this tenant."));
    const run = await updateSpec([elsewhere, "--out-dir", dir]);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toContain(`Read elsewhere.yaml (sha256 ${(await digest(elsewhere)).sha256}, ${(await digest(elsewhere)).size} bytes).`);
    expect(run.stdout).toContain(`Its slice is the committed one, so the fragment keeps recording what it was sliced from: graph-v1.0.yaml (sha256 ${(await digest(v1Fixture)).sha256}`);
    expect(run.stdout).toContain("The fragments are up to date: nothing written.");
    expect(await read(dir)).toBe(await read(openapiDir));
  });

  test("a changed slice is written with the provenance of the description it came from", async () => {
    const dir = await workDir();
    const added = await fixtureVariant(dir, v1Fixture, "added.yaml", (text) => text.replace(LAST_ENUM_MEMBER, `${LAST_ENUM_MEMBER}        - Oauth2ClientCertificate\n`));
    const run = await updateSpec([added, "--out-dir", dir]);
    expect(run.code, run.stderr).toBe(0);
    expect(await provenance(dir)).toEqual({ source: "added.yaml", ...(await digest(added)) });
  });
});
