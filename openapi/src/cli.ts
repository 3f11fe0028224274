// The update-spec command line: arguments in, report out, exit code back. Exit codes: 0 written or
// unchanged, 1 breaking changes refused (nothing written), 2 bad input (nothing written).
import path from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { SpecInputError } from "./specError.ts";
import { updateSpec } from "./updateSpec.ts";

const USAGE = `Usage: npm run update-spec -- <v1.0 description> [--beta <beta description>] [--csdl <v1.0 CSDL>] [--allow-breaking] [--report <file>]
  <description>      a file or an http(s) URL of Graph's full OpenAPI description, e.g.
                     https://raw.githubusercontent.com/microsoftgraph/msgraph-metadata/master/openapi/v1.0/openapi.yaml
  --beta <source>    the beta description: its deprecation notes feed the SDK and the emulator
  --csdl <source>    Graph's v1.0 CSDL (file or URL), e.g. msgraph-metadata's schemas/v1.0-Prod.csdl:
                     the v1.0 slice must agree with it (enum members and order, property names,
                     types and nullability, parameters), or nothing is written
  --allow-breaking   write even when the report names breaking changes
  --report <file>    also write the report there (Markdown, for a pull request)
  --out-dir <dir>    where the fragments are (default: the repository's openapi/ folder)`;

const defaultOutDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");

export interface CliIo {
  out: (line: string) => void;
  err: (line: string) => void;
  /** What relative paths are relative to: where the user ran the command. */
  cwd: string;
}

export async function runCli(argv: readonly string[], io: CliIo): Promise<number> {
  let args;
  try {
    args = parseArgs({
      args: [...argv],
      allowPositionals: true,
      options: {
        beta: { type: "string" },
        csdl: { type: "string" },
        "allow-breaking": { type: "boolean", default: false },
        report: { type: "string" },
        "out-dir": { type: "string" },
        help: { type: "boolean", short: "h", default: false },
      },
    });
  } catch (error) {
    io.err(`update-spec: ${(error as Error).message}\n\n${USAGE}`);
    return 2;
  }
  if (args.values.help) {
    io.out(USAGE);
    return 0;
  }
  if (args.positionals.length !== 1) {
    io.err(`update-spec: give exactly one v1.0 description (file or URL).\n\n${USAGE}`);
    return 2;
  }
  const local = (file: string | undefined) => (file === undefined ? undefined : path.resolve(io.cwd, file));
  try {
    const outcome = await updateSpec({
      v1: args.positionals[0]!,
      beta: args.values.beta,
      csdl: args.values.csdl,
      allowBreaking: args.values["allow-breaking"],
      reportFile: local(args.values.report),
      outDir: local(args.values["out-dir"]) ?? defaultOutDir,
      cwd: io.cwd,
      log: io.out,
    });
    return outcome === "refused" ? 1 : 0;
  } catch (error) {
    if (!(error instanceof SpecInputError)) throw error;
    io.err(`update-spec: ${error.message}\nNothing was written.`);
    return 2;
  }
}
