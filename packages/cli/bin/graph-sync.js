#!/usr/bin/env node
// The `graph-sync` command. npm links bins when it installs, which in this repository is before
// anything is built, and tsc rewrites dist/ without the executable bit; so the bin is this committed,
// executable launcher, and the CLI itself stays in dist/.
import { existsSync } from "node:fs";

const cli = new URL("../dist/main.js", import.meta.url);
if (!existsSync(cli)) {
  process.stderr.write(
    "graph-sync: @graph-sync/cli is not built (dist/main.js is missing). In the graph-sync repository, run `npm run build` first.\n",
  );
  process.exit(1);
}
await import(cli.href);
