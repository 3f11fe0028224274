// Generates the committed JSON Schemas in schema/ from the public TypeScript types in
// src/validation/credentialTypes.ts with typescript-json-schema.
//
//   node scripts/generate-schema.mjs           write schema/*.schema.json
//   node scripts/generate-schema.mjs --check   regenerate into a temporary folder and fail (exit 1)
//                                              when a committed file differs or is missing
//   --schema-dir <dir>                         compare with / write to another folder (tests)
import { mkdtemp, readFile, rm, writeFile, mkdir } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import ts from "typescript";
import * as TJS from "typescript-json-schema";

const packageRoot = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const sourceFile = join(packageRoot, "src/validation/credentialTypes.ts");
const { values: args } = parseArgs({
  options: { check: { type: "boolean", default: false }, "schema-dir": { type: "string" } },
});
const schemaDir = resolve(args["schema-dir"] ?? join(packageRoot, "schema"));

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

function render() {
  const generator = TJS.buildGenerator(createProgram(), settings, [sourceFile]);
  if (!generator) throw new Error("typescript-json-schema could not build a generator");
  return outputs.map(({ type, file }) => {
    const schema = generator.getSchemaForSymbol(type);
    const document = {
      $schema: schema.$schema,
      title: type,
      ...Object.fromEntries(Object.entries(schema).filter(([key]) => key !== "$schema")),
    };
    return { file, text: `${JSON.stringify(document, null, 2)}\n` };
  });
}

async function main() {
  const check = args.check;
  const rendered = render();
  if (!check) {
    await mkdir(schemaDir, { recursive: true });
    for (const { file, text } of rendered) await writeFile(join(schemaDir, file), text);
    console.log(`wrote ${rendered.map(({ file }) => join(schemaDir, file)).join(", ")}`);
    return;
  }
  // Write the fresh output to a temporary folder first so a failing check leaves evidence to diff.
  const scratch = await mkdtemp(join(tmpdir(), "graph-sync-schema-"));
  const stale = [];
  try {
    for (const { file, text } of rendered) {
      await writeFile(join(scratch, file), text);
      const committed = await readFile(join(schemaDir, file), "utf8").catch(() => undefined);
      if (committed !== text) stale.push(committed === undefined ? `${file} (missing)` : file);
    }
  } finally {
    if (stale.length === 0) await rm(scratch, { recursive: true, force: true });
  }
  if (stale.length > 0) {
    console.error(`The committed JSON Schema in ${schemaDir} is out of date: ${stale.join(", ")}.`);
    console.error(`Fresh output is in ${scratch}. Run \`npm run generate-schema -w packages/sdk\` and commit the result.`);
    process.exitCode = 1;
    return;
  }
  console.log(`schema up to date (${rendered.map(({ file }) => file).join(", ")})`);
}

await main();
