// Copies the OpenAPI fragment into the build output, so the published package validates requests
// against the same document the client is generated from: as YAML, for readers, and as JSON, which
// the emulator reads at every start without parsing YAML. Usage: node scripts/copy-openapi.mjs [outDir]
import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { parse } from "yaml";

const packageRoot = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const source = resolve(packageRoot, "../../openapi/acquire-access-token.yaml");
const outDir = resolve(packageRoot, process.argv[2] ?? "dist");
mkdirSync(join(outDir, "openapi"), { recursive: true });
copyFileSync(source, join(outDir, "openapi", "acquire-access-token.yaml"));
writeFileSync(join(outDir, "openapi", "acquire-access-token.json"), `${JSON.stringify(parse(readFileSync(source, "utf8")), null, 2)}\n`);
