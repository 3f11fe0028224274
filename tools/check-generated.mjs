// Fails when anything derived from the OpenAPI fragments differs from what `npm run generate` makes
// of them now: runs the whole generation (through nx, in dependency order), then looks for changed,
// deleted and new files in every generated place. `git status --porcelain` alone would exit 0
// either way, so both lists are checked explicitly.
import { execFileSync } from "node:child_process";
import path from "node:path";
import { fileURLToPath } from "node:url";

const workspaceRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");

/** Everything `npm run generate` writes, and what writes it. */
export const GENERATED = [
  "packages/client/src/generated", // Kiota, from openapi/acquire-access-token.yaml
  "packages/client/api", // API Extractor's report of the client
  "packages/emulator/openapi", // the emulator's copy of the fragment
  "packages/emulator/src/generated", // the beta deprecation facts for the emulator's headers
  "packages/sdk/schema", // typescript-json-schema, from the SDK's public types
  "packages/sdk/src/validation/generated", // ajv's standalone validators, from those schemas
  "packages/sdk/src/generated", // the beta deprecation facts for the SDK's warning and help
  "packages/sdk/README.md", // its beta deprecation table
  "packages/sdk/api", // API Extractor's report of the SDK
  "packages/cli/api", // API Extractor's report of the CLI's building blocks
];

const git = (...args) => execFileSync("git", args, { cwd: workspaceRoot, encoding: "utf8" });

execFileSync("npm", ["run", "generate"], { cwd: workspaceRoot, stdio: "inherit" });

const changed = git("diff", "--name-status", "HEAD", "--", ...GENERATED).trim();
const untracked = git("ls-files", "--others", "--exclude-standard", "--", ...GENERATED).trim();

if (changed || untracked) {
  console.error("check-generated: generated files are out of date with the fragments, the public types or the generators.");
  if (changed) console.error(`changed or deleted:\n${changed}`);
  if (untracked) console.error(`new, not committed:\n${untracked}`);
  console.error(git("diff", "--stat", "HEAD", "--", ...GENERATED));
  console.error("Run `npm run generate` and commit the result (an API report diff is a public API change: review it).");
  process.exit(1);
}
console.log(`check-generated: ${GENERATED.length} generated places match the fragments and the pinned generators.`);
