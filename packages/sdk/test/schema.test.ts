// The secret keys have one source (the generated client's enum): the runtime list, the public
// TypeScript types and the committed JSON Schemas all agree with it, and check-schema catches drift.
import { execFile } from "node:child_process";
import { cp, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { describe, expect, expectTypeOf, test } from "vitest";
import { SynchronizationSecretObject, type SynchronizationSecret } from "@graph-sync/client";
import {
  isSynchronizationSecretKey,
  synchronizationSecretKeys,
  type SynchronizationSecretEntry,
  type SynchronizationSecretKey,
  type SynchronizationSecrets,
} from "@graph-sync/sdk";

const run = promisify(execFile);
const packageRoot = join(import.meta.dirname, "..");
const schemaDir = join(packageRoot, "schema");
const generatedDir = join(packageRoot, "src/validation/generated");

describe("the 45 secret keys", () => {
  test("the runtime list is the generated enum, in Graph's order", () => {
    expect(synchronizationSecretKeys).toHaveLength(45);
    expect([...synchronizationSecretKeys]).toEqual(Object.values(SynchronizationSecretObject));
    expect(synchronizationSecretKeys[0]).toBe("None");
    expect(synchronizationSecretKeys.at(-1)).toBe("ConnectionString");
    expect(Object.isFrozen(synchronizationSecretKeys)).toBe(true);
    expect(isSynchronizationSecretKey("Oauth2AuthorizationCode")).toBe(true);
    expect(isSynchronizationSecretKey("oauth2authorizationcode")).toBe(false);
  });

  test("the TypeScript types agree with it (checked by tsc, which type-checks this file)", () => {
    expectTypeOf<SynchronizationSecretKey>().toEqualTypeOf<SynchronizationSecret>();
    expectTypeOf<(typeof synchronizationSecretKeys)[number]>().toEqualTypeOf<SynchronizationSecretKey>();
    expectTypeOf<keyof SynchronizationSecrets>().toEqualTypeOf<SynchronizationSecretKey>();
    expectTypeOf<SynchronizationSecretEntry["key"]>().toEqualTypeOf<SynchronizationSecretKey>();
    expectTypeOf<SynchronizationSecrets>().toExtend<{ Oauth2AuthorizationCode?: string; ConnectionString?: string }>();
    // @ts-expect-error a misspelt key is a compile error in the keyed form
    const misspelt: SynchronizationSecrets = { Oauth2AuthorizationCod: "x" };
    // @ts-expect-error and in the list form
    const misspeltEntry: SynchronizationSecretEntry = { key: "Oauth2AuthorizationCod", value: "x" };
    expect([misspelt, misspeltEntry]).toHaveLength(2);
  });
});

describe("the committed JSON Schemas", () => {
  test("name exactly the 45 keys, in both forms, and allow nothing else", async () => {
    const schema = JSON.parse(await readFile(join(schemaDir, "credentials.schema.json"), "utf8")) as {
      anyOf: Array<{
        type: string;
        properties?: Record<string, unknown>;
        additionalProperties?: boolean;
        items?: { properties: { key: { enum: string[] } }; additionalProperties: boolean; required: string[] };
      }>;
    };
    const objectForm = schema.anyOf.find((branch) => branch.type === "object");
    const listForm = schema.anyOf.find((branch) => branch.type === "array");
    const expected = [...synchronizationSecretKeys].sort();
    expect(Object.keys(objectForm?.properties ?? {}).sort()).toEqual(expected);
    expect(objectForm?.additionalProperties).toBe(false);
    expect([...(listForm?.items?.properties.key.enum ?? [])].sort()).toEqual(expected);
    expect(listForm?.items?.required).toEqual(["key", "value"]);
    expect(listForm?.items?.additionalProperties).toBe(false);
  });

  test("the target schema requires a GUID", async () => {
    const schema = await readFile(join(schemaDir, "target.schema.json"), "utf8");
    expect(schema).toContain("^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$");
  });

  test("check-schema passes on the committed files and fails when they drift", async () => {
    const script = join(packageRoot, "scripts/generate-schema.mjs");
    const drifted = await mkdtemp(join(tmpdir(), "sdk-schema-drift-"));
    const driftedGenerated = await mkdtemp(join(tmpdir(), "sdk-validators-drift-"));
    try {
      await cp(schemaDir, drifted, { recursive: true });
      const file = join(drifted, "credentials.schema.json");
      await writeFile(file, (await readFile(file, "utf8")).replace('"ConnectionString"', '"ConnectionStrings"'));
      await cp(generatedDir, driftedGenerated, { recursive: true });
      const validators = join(driftedGenerated, "schemaValidators.ts");
      await writeFile(validators, (await readFile(validators, "utf8")).replace('"ConnectionString"', '"ConnectionStrings"'));
      // Both runs at once: each builds a TypeScript program, which takes a few seconds.
      const [ok, failed] = await Promise.all([
        run(process.execPath, [script, "--check"], { cwd: packageRoot }),
        run(process.execPath, [script, "--check", "--schema-dir", drifted, "--generated-dir", driftedGenerated], {
          cwd: packageRoot,
        }).then(
          () => undefined,
          (error: { code: number; stderr: string }) => error,
        ),
      ]);
      expect(ok.stdout).toContain("schema up to date");
      expect(failed?.code).toBe(1);
      expect(failed?.stderr).toContain("is out of date: credentials.schema.json, schemaValidators.ts");
    } finally {
      await rm(drifted, { recursive: true, force: true });
      await rm(driftedGenerated, { recursive: true, force: true });
    }
  }, 60_000);

  test("the validators are generated from them, and name the same keys", async () => {
    const generated = await readFile(join(generatedDir, "schemaValidators.ts"), "utf8");
    expect(generated).toMatch(/^\/\/ GENERATED by scripts\/generate-schema\.mjs/);
    expect(generated).toContain("// @ts-nocheck");
    // ajv's standalone code needs none of ajv's runtime helpers: nothing of ajv ships.
    expect(generated).not.toMatch(/\brequire\(|\bimport\b.*\bfrom\b/);
    expect(generated).toContain(`export const secretKeys = ${JSON.stringify(synchronizationSecretKeys)};`);
  });
});
