// Runs the Kiota generator pinned in .config/dotnet-tools.json with graph-sync's options. Used by
// tools/generate-client.mjs (the committed client) and by the faithful-slice test, which must run
// Kiota exactly as the client is generated.
import { spawnSync } from "node:child_process";
import path from "node:path";
import { fileURLToPath } from "node:url";

export const workspaceRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");

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

function dotnet(args: string[], cwd: string): string {
  const result = spawnSync("dotnet", args, { cwd, env, encoding: "utf8", maxBuffer: 64 * 1024 * 1024 });
  if (result.error) {
    throw new Error(`could not run dotnet (${result.error.message}); install the .NET SDK 8 or later`);
  }
  if (result.status !== 0) {
    process.stderr.write(result.stdout + result.stderr);
    throw new Error(`dotnet ${args.join(" ")} exited with ${result.status}`);
  }
  return result.stdout;
}

export interface KiotaRun {
  /** The OpenAPI description, relative to `cwd` (Kiota records it in kiota-lock.json). */
  description: string;
  /** The output folder, relative to `cwd`; emptied first. */
  output: string;
  /** Kiota's --include-path patterns; all paths when absent. */
  includePaths?: readonly string[];
  /** Where to run; the repository root by default (where .config/dotnet-tools.json is). */
  cwd?: string;
}

/** Generates the TypeScript client, deterministically: same description + same generator = same bytes. */
export function runKiota({ description, output, includePaths = [], cwd = workspaceRoot }: KiotaRun): void {
  dotnet(["tool", "restore"], cwd);
  dotnet(
    [
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
      ...includePaths.flatMap((pattern) => ["--include-path", pattern]),
    ],
    cwd,
  );
}
