import { readFileSync } from "node:fs";

/**
 * The version of `@graph-sync/cli`, from its own manifest (one directory above both `src/` and
 * `dist/`), so that `graph-sync --version` can never disagree with what npm installed. The SDK it
 * calls has its own, `SDK_VERSION`.
 */
export const CLI_VERSION: string = (JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8")) as { version: string }).version;
