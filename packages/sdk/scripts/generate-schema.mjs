// Generates, from the public TypeScript types in src/validation/credentialTypes.ts:
//
// - the committed JSON Schemas in schema/, with typescript-json-schema;
// - src/validation/generated/schemaValidators.ts: ajv's standalone validation code compiled from
//   those same schemas, so the SDK validates with them without shipping or running ajv's compiler.
//
//   node scripts/generate-schema.mjs           write both
//   node scripts/generate-schema.mjs --check   regenerate into a temporary folder and fail (exit 1)
//                                              when a committed file differs or is missing
//   --schema-dir <dir>                         compare with / write the schemas to another folder (tests)
//   --generated-dir <dir>                      the same for the generated validators (tests)
import { mkdtemp, readFile, rm, writeFile, mkdir } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { Ajv } from "ajv";
import standaloneCode from "ajv/dist/standalone/index.js";
import ts from "typescript";
import * as TJS from "typescript-json-schema";

const packageRoot = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const sourceFile = join(packageRoot, "src/validation/credentialTypes.ts");
const { values: args } = parseArgs({
  options: {
    check: { type: "boolean", default: false },
    "schema-dir": { type: "string" },
    "generated-dir": { type: "string" },
  },
});
const schemaDir = resolve(args["schema-dir"] ?? join(packageRoot, "schema"));
const generatedDir = resolve(args["generated-dir"] ?? join(packageRoot, "src/validation/generated"));
const VALIDATORS_FILE = "schemaValidators.ts";

/** Root type → committed file. */
const outputs = [
  { type: "AcquireAccessTokenCredentials", file: "credentials.schema.json" },
  { type: "SyncTarget", file: "target.schema.json" },
];

// Inline everything (ref: false): the schemas are small, and typescript-json-schema names
// referenced module types `import("...").Name`, which would make unreadable definition keys.
const settings = { required: true, noExtraProps: true, strictNullChecks: true, ref: false, aliasRef: false };

function createProgram() {
  const configPath = join(packageRoot, "tsconfig.json");
  const config = ts.getParsedCommandLineOfConfigFile(configPath, {}, {
    ...ts.sys,
    onUnRecoverableConfigFileDiagnostic: (diagnostic) => {
      throw new Error(ts.flattenDiagnosticMessageText(diagnostic.messageText, "\n"));
    },
  });
  if (!config) throw new Error(`cannot read ${configPath}`);
  const program = ts.createProgram([sourceFile], config.options);
  const diagnostics = ts.getPreEmitDiagnostics(program);
  if (diagnostics.length > 0) {
    const text = diagnostics.map((d) => ts.flattenDiagnosticMessageText(d.messageText, "\n")).join("\n");
    throw new Error(`type errors in the schema source:\n${text}`);
  }
  return program;
}

function renderSchemas() {
  const generator = TJS.buildGenerator(createProgram(), settings, [sourceFile]);
  if (!generator) throw new Error("typescript-json-schema could not build a generator");
  return outputs.map(({ type, file }) => {
    const schema = generator.getSchemaForSymbol(type);
    const document = {
      $schema: schema.$schema,
      title: type,
      ...Object.fromEntries(Object.entries(schema).filter(([key]) => key !== "$schema")),
    };
    return { type, file, document, text: `${JSON.stringify(document, null, 2)}\n` };
  });
}

/**
 * ajv's standalone code for the schemas just rendered (not the committed files, so both outputs
 * always come from the same types). The credentials schema is a union; its two branches are
 * compiled separately so that an input in one shape is reported against that shape only.
 * The options are those the SDK used to compile with at run time: every error, strict schemas.
 */
function renderValidators(schemas) {
  const byType = Object.fromEntries(schemas.map(({ type, document }) => [type, document]));
  const credentials = byType["AcquireAccessTokenCredentials"];
  const target = byType["SyncTarget"];
  const objectBranch = credentials.anyOf?.find((branch) => branch.type === "object");
  const listBranch = credentials.anyOf?.find((branch) => branch.type === "array");
  if (!objectBranch?.properties || !listBranch) throw new Error("the credentials schema lacks its object or array form");
  const objectIdPattern = target.anyOf?.[0]?.properties?.servicePrincipalId?.pattern;
  if (!objectIdPattern) throw new Error("the target schema lacks the object id pattern");

  const ajv = new Ajv({ allErrors: true, strict: true, code: { source: true, esm: true, lines: true } });
  ajv.addSchema(objectBranch, "secretsObject");
  ajv.addSchema(listBranch, "secretsList");
  ajv.addSchema(target, "target");
  const code = standaloneCode(ajv, {
    validateSecretsObject: "secretsObject",
    validateSecretsList: "secretsList",
    validateTarget: "target",
  });
  if (/\brequire\(/.test(code)) {
    throw new Error("ajv's standalone code needs its runtime helpers now: ship them (keep ajv a dependency) and check the bundle");
  }
  const text = [
    "// GENERATED by scripts/generate-schema.mjs from the JSON Schemas in schema/ (themselves generated",
    "// from src/validation/credentialTypes.ts). Do not edit: run `npm run generate-schema`; CI runs",
    "// `check-schema`, which fails when this file is out of date. Typed by ../schemas.ts.",
    "// @ts-nocheck",
    "/* eslint-disable */",
    "",
    "/** The synchronization secret keys, in Graph's order (the object form's properties). */",
    `export const secretKeys = ${JSON.stringify(Object.keys(objectBranch.properties))};`,
    "",
    "/** The pattern of a Graph object id, from the target schema. */",
    `export const objectIdPattern = ${JSON.stringify(objectIdPattern)};`,
    "",
    "// ajv standalone validation code (allErrors, strict):",
    code.replace(/^"use strict";\n?/, "").trimEnd(),
    "",
  ].join("\n");
  return { file: VALIDATORS_FILE, dir: generatedDir, text };
}

function render() {
  const schemas = renderSchemas();
  return [...schemas.map(({ file, text }) => ({ file, dir: schemaDir, text })), renderValidators(schemas)];
}

async function main() {
  const check = args.check;
  const rendered = render();
  if (!check) {
    for (const { file, dir, text } of rendered) {
      await mkdir(dir, { recursive: true });
      await writeFile(join(dir, file), text);
    }
    console.log(`wrote ${rendered.map(({ file, dir }) => join(dir, file)).join(", ")}`);
    return;
  }
  // Write the fresh output to a temporary folder first so a failing check leaves evidence to diff.
  const scratch = await mkdtemp(join(tmpdir(), "graph-sync-schema-"));
  const stale = [];
  try {
    for (const { file, dir, text } of rendered) {
      await writeFile(join(scratch, file), text);
      const committed = await readFile(join(dir, file), "utf8").catch(() => undefined);
      if (committed !== text) stale.push(committed === undefined ? `${file} (missing)` : file);
    }
  } finally {
    if (stale.length === 0) await rm(scratch, { recursive: true, force: true });
  }
  if (stale.length > 0) {
    console.error(`The committed JSON Schema (${schemaDir}) or generated validators (${generatedDir}) is out of date: ${stale.join(", ")}.`);
    console.error(`Fresh output is in ${scratch}. Run \`npm run generate-schema -w packages/sdk\` and commit the result.`);
    process.exitCode = 1;
    return;
  }
  console.log(`schema up to date (${rendered.map(({ file }) => file).join(", ")})`);
}

await main();
