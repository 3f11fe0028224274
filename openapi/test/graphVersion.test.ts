// Which Graph version a description is: its server decides, whatever its info.version says
// (OpenAPI.NET.OData writes its SemVerVersion setting there; Graph's descriptions show `1.0.1` and
// `v1.0`). The committed fixtures carry both styles: graph-v1.0.yaml `v1.0`, graph-beta.yaml `1.0.1`.
import { readFile, rm } from "node:fs/promises";
import path from "node:path";
import { describe, expect, test } from "vitest";
import { parse } from "yaml";
import {
  BETA_FRAGMENT,
  FRAGMENT,
  betaFixture,
  fragmentWorkDirs,
  readFragment,
  fixtureVariant,
  openapiDir,
  updateSpec,
  v1Fixture,
} from "./support/updateSpecCli.js";

const workDir = fragmentWorkDirs();

const read = readFragment;
const V1_INFO_VERSION = "  version: v1.0\n";

describe("any info.version is accepted; the server decides", () => {
  test("the committed fixtures are in both of the converter's styles", async () => {
    expect((parse(await readFile(v1Fixture, "utf8")) as { info: { version: string } }).info.version).toBe("v1.0");
    expect((parse(await readFile(betaFixture, "utf8")) as { info: { version: string } }).info.version).toBe("1.0.1");
  });

  test.each(["1.0.1", "1.0.0", "v1.0"])("a v1.0 description whose info.version is %s gives the committed slice, info.version aside", async (declared) => {
    const dir = await workDir();
    await rm(path.join(dir, FRAGMENT));
    const variant = declared === "v1.0" ? v1Fixture : await fixtureVariant(dir, v1Fixture, `semver-${declared}.yaml`, (text) => text.replace(V1_INFO_VERSION, `  version: ${declared}\n`));
    const run = await updateSpec([variant, "--out-dir", dir]);
    expect(run.code, run.stderr).toBe(0);
    const written = await read(dir);
    expect(written.startsWith("# Microsoft Graph v1.0: ")).toBe(true);
    expect((parse(written) as { info: { version: unknown } }).info.version).toBe(declared);
    // info holds the version as declared and the provenance (this variant's name and digest).
    const withoutInfo = (text: string) => text.replace(/\ninfo:\n(?: {2}.*\n)+/, "\ninfo: {}\n");
    expect(withoutInfo(written)).toBe(withoutInfo(await read(openapiDir)));
  });

  test("the beta fixture (info.version 1.0.1) is taken as beta and gives the committed beta fragment", async () => {
    const dir = await workDir();
    await rm(path.join(dir, BETA_FRAGMENT));
    const run = await updateSpec([v1Fixture, "--beta", betaFixture, "--out-dir", dir]);
    expect(run.code, run.stderr).toBe(0);
    const written = await read(dir, BETA_FRAGMENT);
    expect(written.startsWith("# Microsoft Graph beta: ")).toBe(true);
    expect(written).toBe(await read(openapiDir, BETA_FRAGMENT));
  });

  test("a trailing slash on the server URL is the same server", async () => {
    const dir = await workDir();
    const slashed = await fixtureVariant(dir, v1Fixture, "slash.yaml", (text) => text.replace("  - url: https://graph.microsoft.com/v1.0\n", "  - url: https://graph.microsoft.com/v1.0/\n"));
    const run = await updateSpec([slashed, "--out-dir", dir]);
    expect(run.code, run.stderr).toBe(0);
  });
});

describe("a description whose server is neither v1.0 nor beta: refused, nothing written", () => {
  const cases: Array<[string, (text: string) => string, RegExp]> = [
    [
      "another version",
      (text) => text.replace("  - url: https://graph.microsoft.com/v1.0\n", "  - url: https://graph.microsoft.com/v2.0\n").replace("located at https://graph.microsoft.com/v1.0", "located at https://graph.microsoft.com/v2.0"),
      /describes the server https:\/\/graph\.microsoft\.com\/v2\.0, which is neither https:\/\/graph\.microsoft\.com\/v1\.0 nor https:\/\/graph\.microsoft\.com\/beta/,
    ],
    [
      "another host",
      (text) => text.replace("  - url: https://graph.microsoft.com/v1.0\n", "  - url: https://graph.microsoft.us/v1.0\n"),
      /describes the server https:\/\/graph\.microsoft\.us\/v1\.0, which is neither/,
    ],
    [
      "no servers at all",
      (text) => text.replace("servers:\n  - url: https://graph.microsoft.com/v1.0\n    description: Core\n", ""),
      /names no server \(servers\[0\]\.url\), so it does not say which Graph version it describes/,
    ],
    [
      "a server that info.description contradicts",
      (text) => text.replace("located at https://graph.microsoft.com/v1.0", "located at https://graph.microsoft.com/beta"),
      /contradicts itself: its server is https:\/\/graph\.microsoft\.com\/v1\.0 but info\.description names https:\/\/graph\.microsoft\.com\/beta/,
    ],
  ];

  test.each(cases)("%s", async (_name, edit, message) => {
    const dir = await workDir();
    const before = [await read(dir), await read(dir, BETA_FRAGMENT)];
    const variant = await fixtureVariant(dir, v1Fixture, "variant.yaml", edit);
    const run = await updateSpec([variant, "--out-dir", dir]);
    expect(run.code, run.stdout).toBe(2);
    expect(run.stderr).toMatch(message);
    expect(run.stderr).toContain("Nothing was written.");
    expect([await read(dir), await read(dir, BETA_FRAGMENT)]).toEqual(before);
  });

  test("info.version saying beta does not make a v1.0 server's description beta", async () => {
    const dir = await workDir();
    const before = await read(dir, BETA_FRAGMENT);
    const variant = await fixtureVariant(dir, v1Fixture, "says-beta.yaml", (text) => text.replace(V1_INFO_VERSION, "  version: beta\n"));
    const asV1 = await updateSpec([variant, "--out-dir", dir]);
    expect(asV1.code, asV1.stderr).toBe(0);
    const asBeta = await updateSpec([v1Fixture, "--beta", variant, "--out-dir", dir]);
    expect(asBeta.code).toBe(2);
    expect(asBeta.stderr).toMatch(/says-beta\.yaml describes Graph v1\.0, not beta \(its server is https:\/\/graph\.microsoft\.com\/v1\.0\): --beta takes the beta description/);
    expect(await read(dir, BETA_FRAGMENT)).toBe(before);
  });
});
