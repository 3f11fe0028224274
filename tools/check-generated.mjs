// Fails when the committed client differs from what the pinned Kiota makes of the committed
// fragment: regenerate, then look for changed, deleted and new files in the generated folder.
// `git status --porcelain` alone would exit 0 either way, so both lists are checked explicitly.
import { execFileSync } from "node:child_process";
import path from "node:path";
import { fileURLToPath } from "node:url";

const workspaceRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const generated = "packages/client/src/generated";
const git = (...args) => execFileSync("git", args, { cwd: workspaceRoot, encoding: "utf8" });

execFileSync(process.execPath, [path.join(workspaceRoot, "tools/generate-client.mjs")], {
  cwd: workspaceRoot,
  stdio: "inherit",
});

const changed = git("diff", "--name-status", "HEAD", "--", generated).trim();
const untracked = git("ls-files", "--others", "--exclude-standard", "--", generated).trim();

if (changed || untracked) {
  console.error(`check-generated: ${generated} is out of date with the fragment or the generator.`);
  if (changed) console.error(`changed or deleted:\n${changed}`);
  if (untracked) console.error(`new, not committed:\n${untracked}`);
  console.error(git("diff", "--stat", "HEAD", "--", generated));
  console.error("Run `npm run generate` and commit the result.");
  process.exit(1);
}
console.log(`check-generated: ${generated} matches the fragment and the pinned generator.`);
