import { readFile, rename, writeFile } from "node:fs/promises";
import path from "node:path";
import { parse } from "yaml";
import { ACTION_PATHS } from "./actionPaths.ts";
import { crossCheckCsdl } from "./crossCheckCsdl.ts";
import { readAcquireAccessTokenCsdl } from "./csdl.ts";
import { describeChanges, type SpecChange } from "./describeChanges.ts";
import { readDeprecationFacts } from "./deprecationFacts.ts";
import { FRAGMENT_FILES } from "./fragmentFiles.ts";
import { GRAPH_BASE_URLS, graphVersionOf } from "./graphVersion.ts";
import { describeProvenance, provenanceIn, provenanceOf, withProvenance, type Provenance } from "./provenance.ts";
import { readDescription } from "./readDescription.ts";
import { renderFragment } from "./renderFragment.ts";
import { sliceDescription, type OpenApiDocument } from "./sliceDescription.ts";
import { SpecInputError } from "./specError.ts";


export interface UpdateSpecOptions {
  /** Graph's v1.0 description: a file or a URL. */
  v1: string;
  /** Graph's beta description, when its fragment is to be updated too. */
  beta?: string | undefined;
  /** Graph's v1.0 CSDL (`schemas/v1.0-Prod.csdl`, a file or a URL): the v1.0 slice must agree with it. */
  csdl?: string | undefined;
  allowBreaking: boolean;
  /** Where to write the report as Markdown as well (the workflow's pull request body). */
  reportFile?: string | undefined;
  /** The folder holding the committed fragments. */
  outDir: string;
  /** What a relative description path is relative to. */
  cwd: string;
  log: (line: string) => void;
}

interface Slice {
  version: keyof typeof FRAGMENT_FILES;
  source: string;
  file: string;
  text: string;
  changes: SpecChange[];
  /** Whether the committed fragment stays as it is (the same slice; perhaps of another description). */
  unchanged: boolean;
  /** What this run read. */
  provenance: Provenance;
  /** When the slice is the committed one but the description differs: what the fragment keeps recording. */
  recorded: Provenance | undefined;
  /** The slice itself. */
  document: OpenApiDocument;
  /** The CSDL the slice was found to agree with, when one was given. */
  crossChecked?: Provenance;
}

/**
 * Reads and slices each description, reports the changes against the committed fragments, then
 * writes them: all of them, or (when a change is breaking and that is not allowed, or any input is
 * bad) none. Returns what happened; throws {@link SpecInputError} for bad input.
 */
export async function updateSpec(options: UpdateSpecOptions): Promise<"written" | "unchanged" | "refused"> {
  const slices: Slice[] = [await sliceOne("v1.0", options.v1, options)];
  if (options.beta !== undefined) slices.push(await sliceOne("beta", options.beta, options));
  if (options.csdl !== undefined) slices[0]!.crossChecked = await crossCheck(slices[0]!, options.csdl, options);

  const report = renderReport(slices, options);
  for (const line of report.split("\n")) options.log(line);
  if (options.reportFile) await writeFile(options.reportFile, `${report}\n`);

  const breaking = slices.flatMap((slice) => slice.changes.filter((change) => change.kind === "breaking"));
  if (breaking.length > 0 && !options.allowBreaking) {
    options.log(`\n${breaking.length} breaking change(s): nothing written. If Graph really changed this way, run again with --allow-breaking, then npm run generate, and review the API report diff.`);
    return "refused";
  }
  const toWrite = slices.filter((slice) => !slice.unchanged);
  if (toWrite.length === 0) {
    options.log("\nThe fragments are up to date: nothing written.");
    return "unchanged";
  }
  // Each file is written beside itself and renamed into place, so a failure leaves the old one whole.
  for (const slice of toWrite) {
    await writeFile(`${slice.file}.tmp`, slice.text);
    await rename(`${slice.file}.tmp`, slice.file);
    options.log(`wrote ${slice.file}`);
  }
  options.log("Next: npm run generate (regenerates the client, the SDK's schema and validators, the emulator's copy and the API reports), then commit.");
  return "written";
}

async function sliceOne(version: Slice["version"], given: string, options: UpdateSpecOptions): Promise<Slice> {
  const source = /^https?:\/\//i.test(given) ? given : path.resolve(options.cwd, given);
  const started = performance.now();
  const read = await readDescription(source);
  const readMs = performance.now() - started;
  const { document, parseMs, sliceMs } = await sliceDescription(read.text, given, ACTION_PATHS);
  const described = graphVersionOf(document, given);
  if (described !== version) {
    throw new SpecInputError(`${given} describes Graph ${described}, not ${version} (its server is ${GRAPH_BASE_URLS[described]}): ${version === "beta" ? "--beta takes the beta description" : "the first argument is the v1.0 description; give beta's with --beta"}.`);
  }
  if (version === "beta") {
    try {
      readDeprecationFacts(document);
    } catch (error) {
      throw new SpecInputError(`${given}: ${(error as Error).message}.`);
    }
  }
  const file = path.join(options.outDir, FRAGMENT_FILES[version]);
  const committedText = await readFile(file, "utf8").catch(() => undefined);
  const committed = committedText === undefined ? undefined : (parse(committedText) as OpenApiDocument);
  const provenance = provenanceOf(given, read.sha256, read.size);
  const recorded = provenanceIn(committed);
  const rendered = renderFragment(withProvenance(document, provenance), version);
  // A description that changed only outside the slice (Graph's change most weeks) leaves the
  // fragment as it is, provenance included: it still says truly what the slice was taken from, and
  // the generated client does not churn for nothing.
  const sameSlice = committedText !== undefined && recorded !== undefined && renderFragment(withProvenance(document, recorded), version) === committedText;
  options.log(`${version}: ${given}: ${(read.text.length / 1024 / 1024).toFixed(1)} MB read in ${seconds(readMs)}, parsed in ${seconds(parseMs)}, sliced in ${seconds(sliceMs)}`);
  return {
    version,
    source: given,
    file,
    text: rendered,
    changes: describeChanges(committed, document),
    unchanged: sameSlice || committedText === rendered,
    provenance,
    recorded: sameSlice ? recorded : undefined,
    document,
  };
}

/**
 * Reads Graph's CSDL and refuses the slice (a {@link SpecInputError} naming every difference) when
 * the two disagree: the OpenAPI description is converted from that CSDL, so a difference means one
 * of them is not what Graph serves, and the client must not be generated from either until it is
 * understood.
 */
async function crossCheck(slice: Slice, given: string, options: UpdateSpecOptions): Promise<Provenance> {
  const source = /^https?:\/\//i.test(given) ? given : path.resolve(options.cwd, given);
  const read = await readDescription(source, { name: "Graph's CSDL (schemas/v1.0-Prod.csdl)", published: "msgraph-metadata's schemas/v1.0-Prod.csdl" });
  const differences = crossCheckCsdl(slice.document, readAcquireAccessTokenCsdl(read.text, given));
  if (differences.length > 0) {
    throw new SpecInputError(
      `${slice.source} disagrees with Graph's CSDL ${given} in ${differences.length} place(s):\n${differences.map((difference) => `  - ${difference}`).join("\n")}\nThe OpenAPI description is converted from that CSDL: give the two from the same msgraph-metadata commit, and if they still disagree, report it there.`,
    );
  }
  return provenanceOf(given, read.sha256, read.size);
}

/** The report, in Markdown that reads as plain text too. */
function renderReport(slices: Slice[], options: UpdateSpecOptions): string {
  const lines: string[] = [];
  for (const slice of slices) {
    lines.push("", `## ${slice.version} (${FRAGMENT_FILES[slice.version]}, from ${slice.source})`, "");
    lines.push(`Read ${describeProvenance(slice.provenance)}.`, "");
    if (slice.recorded !== undefined && (slice.recorded.sha256 !== slice.provenance.sha256 || slice.recorded.source !== slice.provenance.source)) {
      lines.push(`Its slice is the committed one, so the fragment keeps recording what it was sliced from: ${describeProvenance(slice.recorded)}.`, "");
    }
    if (slice.crossChecked !== undefined) lines.push(`Agrees with Graph's CSDL ${describeProvenance(slice.crossChecked)}: the enum's members and order, the key/value pair's properties, the action's parameters and binding.`, "");
    if (slice.changes.length === 0) {
      lines.push(slice.unchanged ? "No changes." : "No changes to paths, operations, parameters, schemas, enum members or deprecations (only formatting or wording elsewhere).");
      continue;
    }
    for (const kind of ["breaking", "deprecated", "added", "changed"] as const) {
      for (const change of slice.changes.filter((change) => change.kind === kind)) lines.push(`- ${kind}: ${change.text}`);
    }
  }
  if (options.beta === undefined) lines.push("", `(beta not checked: give --beta to update ${FRAGMENT_FILES.beta} and its deprecation facts.)`);
  return lines.join("\n").replace(/^\n/, "");
}

function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(2)} s`;
}
