// Regenerates packages/client/src/generated from openapi/acquire-access-token.yaml with the Kiota
// generator pinned in .config/dotnet-tools.json. Deterministic: same fragment + same generator =
// same bytes, which is what check-generated.mjs relies on.
import { spawnSync } from "node:child_process";
import { writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const workspaceRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const description = "openapi/acquire-access-token.yaml";
const output = "packages/client/src/generated";

// Kiota targets an older .NET runtime than the SDK on these machines (roll forward), and must never
// call out: no update check, no telemetry.
const env = {
  ...process.env,
  DOTNET_ROLL_FORWARD: "Major",
  DOTNET_CLI_TELEMETRY_OPTOUT: "1",
  DOTNET_NOLOGO: "1",
  KIOTA_OFFLINE_ENABLED: "true",
  KIOTA_CLI_TELEMETRY_OPTOUT: "true",
};

function run(args) {
  const result = spawnSync("dotnet", args, { cwd: workspaceRoot, env, encoding: "utf8" });
  if (result.error) {
    throw new Error(`could not run dotnet (${result.error.message}); install the .NET SDK 8 or later`);
  }
  if (result.status !== 0) {
    process.stderr.write(result.stdout + result.stderr);
    throw new Error(`dotnet ${args.join(" ")} exited with ${result.status}`);
  }
  return result.stdout;
}

run(["tool", "restore"]);
run([
  "kiota", "generate",
  "--language", "typescript",
  "--class-name", "GraphSyncClient",
  "--namespace-name", "GraphSync",
  "--openapi", description,
  "--output", output,
  "--clean-output",
  "--log-level", "Warning",
  // Only JSON: Graph speaks nothing else here, and the default would pull the form, text and
  // multipart serializers into every bundle. The '=' form keeps System.CommandLine from reading
  // a value that starts with '@' as a response file.
  "--serializer=@microsoft/kiota-serialization-json.JsonSerializationWriterFactory",
  "--deserializer=@microsoft/kiota-serialization-json.JsonParseNodeFactory",
  "--structured-mime-types", "application/json",
]);

// --clean-output empties the folder, so the notice is written after every run.
writeFileSync(
  path.join(workspaceRoot, output, "README.md"),
  `# Generated code: do not edit

Everything in this folder is written by [Kiota](https://github.com/microsoft/kiota) from
\`openapi/acquire-access-token.yaml\`, with the generator version pinned in
\`.config/dotnet-tools.json\` (see \`kiota-lock.json\` for the options used).

To change it, change the OpenAPI fragment (or the pinned generator) and run, from the repository root:

    npm run generate

\`npm run check-generated\` (run by CI) regenerates and fails if the result differs from what is
committed here.
`,
);
console.log(`generated ${output} from ${description}`);
