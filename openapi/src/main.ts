// npm run update-spec -- <v1.0 description: file or URL> [--beta <file or URL>] [--allow-breaking]
// See cli.ts for the options and exit codes, and CONTRIBUTING.md, "When the spec changes".
import { runCli } from "./cli.ts";

process.exitCode = await runCli(process.argv.slice(2), {
  out: (line) => console.log(line),
  err: (line) => console.error(line),
  // npm runs scripts from the package folder; a relative path means the folder the user was in.
  cwd: process.env["INIT_CWD"] ?? process.cwd(),
});
