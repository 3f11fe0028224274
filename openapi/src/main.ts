// npm run update-spec -- <v1.0 description: file or URL> [--beta <file or URL>] [--allow-breaking]
//
// Slices the acquireAccessToken paths (and all they reach) out of Graph's published OpenAPI
// descriptions, reports what changed against the committed fragments, and writes them unless a
// change is breaking. Exit codes: 0 written or unchanged, 1 breaking changes refused (nothing
// written), 2 bad input (nothing written).
import { parseArgs } from "node:util";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { updateSpec } from "./updateSpec.ts";
import { SpecInputError } from "./specError.ts";

const USAGE = `Usage: npm run update-spec -- <v1.0 description> [--beta <beta description>] [--allow-breaking] [--report <file>]
  <description>      a file or an http(s) URL of Graph's full OpenAPI description, e.g.
                     https://raw.githubusercontent.com/microsoftgraph/msgraph-metadata/master/openapi/v1.0/openapi.yaml
  --beta <source>    the beta description: its deprecation notes feed the SDK and the emulator
  --allow-breaking   write even when the report names breaking changes
  --report <file>    also write the report there (Markdown, for a pull request)`;

let args;
try {
  args = parseArgs({
    allowPositionals: true,
    options: {
      beta: { type: "string" },
      "allow-breaking": { type: "boolean", default: false },
      report: { type: "string" },
      "out-dir": { type: "string" },
      help: { type: "boolean", short: "h", default: false },
    },
  });
} catch (error) {
  console.error(`update-spec: ${(error as Error).message}\n\n${USAGE}`);
  process.exit(2);
}
if (args.values.help) {
  console.log(USAGE);
  process.exit(0);
}
if (args.positionals.length !== 1) {
  console.error(`update-spec: give exactly one v1.0 description (file or URL).\n\n${USAGE}`);
  process.exit(2);
}

try {
  const outcome = await updateSpec({
    v1: args.positionals[0]!,
    beta: args.values.beta,
    allowBreaking: args.values["allow-breaking"],
    reportFile: args.values.report,
    // --out-dir: where the fragments live (tests point it at a copy); the openapi folder by default.
    outDir: args.values["out-dir"] ?? path.resolve(path.dirname(fileURLToPath(import.meta.url)), ".."),
    log: (line) => console.log(line),
  });
  process.exitCode = outcome === "refused" ? 1 : 0;
} catch (error) {
  if (!(error instanceof SpecInputError)) throw error;
  console.error(`update-spec: ${error.message}\nNothing was written.`);
  process.exitCode = 2;
}
