// Regenerates packages/client/src/generated from openapi/acquire-access-token.yaml with the Kiota
// generator pinned in .config/dotnet-tools.json. Deterministic: same fragment + same generator =
// same bytes, which is what check-generated.mjs relies on.
import { writeFileSync } from "node:fs";
import path from "node:path";
import { runKiota, workspaceRoot } from "../openapi/src/kiota.ts";

const description = "openapi/acquire-access-token.yaml";
const output = "packages/client/src/generated";

runKiota({ description, output });

// --clean-output empties the folder, so the notice is written after every run.
writeFileSync(
  path.join(workspaceRoot, output, "README.md"),
  `# Generated code: do not edit

Everything in this folder is written by [Kiota](https://github.com/microsoft/kiota) from
\`openapi/acquire-access-token.yaml\`, with the generator version pinned in
\`.config/dotnet-tools.json\` (see \`kiota-lock.json\` for the options used).

The fragment itself is sliced from Graph's published description by \`npm run update-spec\`. To
change this code, update the fragment that way (or change the pinned generator), then run, from the
repository root:

    npm run generate

\`npm run check-generated\` (run by CI) regenerates and fails if the result differs from what is
committed here.
`,
);
console.log(`generated ${output} from ${description}`);
