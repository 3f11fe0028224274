// `nx run emulator:generate` (part of `npm run generate`): the emulator's copies of what it takes
// from the OpenAPI fragments, committed so the package is whole without the repository around it:
//
// - openapi/acquire-access-token.json: the v1.0 fragment as JSON, which the emulator validates
//   requests against (no YAML parsed at start);
// - src/generated/betaDeprecation.ts: the deprecation annotation of beta's fragment, from which
//   the emulated beta endpoint sends its Deprecation, Sunset and Link headers.
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { parse } from "yaml";
import { readCommittedBetaDeprecation, renderDeprecationModule } from "../../../openapi/src/deprecationModule.ts";

const packageRoot = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const fragment = resolve(packageRoot, "../../openapi/acquire-access-token.yaml");

mkdirSync(join(packageRoot, "openapi"), { recursive: true });
writeFileSync(join(packageRoot, "openapi/acquire-access-token.json"), `${JSON.stringify(parse(readFileSync(fragment, "utf8")), null, 2)}\n`);
mkdirSync(join(packageRoot, "src/generated"), { recursive: true });
writeFileSync(
  join(packageRoot, "src/generated/betaDeprecation.ts"),
  renderDeprecationModule(readCommittedBetaDeprecation(), "packages/emulator/scripts/generate.mjs"),
);
console.log("wrote packages/emulator/openapi/acquire-access-token.json and src/generated/betaDeprecation.ts");
