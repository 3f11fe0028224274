// Copies the emulator's committed copy of the OpenAPI fragment (openapi/, written by
// `npm run generate`) into the build output, where the compiled code looks for it first.
// Usage: node scripts/copy-openapi.mjs [outDir]
import { copyFileSync, mkdirSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const packageRoot = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const outDir = resolve(packageRoot, process.argv[2] ?? "dist");
mkdirSync(join(outDir, "openapi"), { recursive: true });
copyFileSync(join(packageRoot, "openapi/acquire-access-token.json"), join(outDir, "openapi", "acquire-access-token.json"));
