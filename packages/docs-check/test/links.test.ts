// Every relative link in the repository's Markdown reaches a file, and a heading where it names one.
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, test } from "vitest";
import { brokenLinks, headingIds } from "../src/markdownLinks.js";
import { markdownFiles } from "../src/markdownBlocks.js";

const repositoryRoot = join(import.meta.dirname, "../../..");

test("every relative link of every Markdown file reaches its file and heading", () => {
  const files = markdownFiles(repositoryRoot);
  expect(files).toEqual(expect.arrayContaining(["README.md", "CONTRIBUTING.md", "packages/sdk/README.md", "packages/emulator/README.md"]));
  expect(files.flatMap((file) => brokenLinks(repositoryRoot, file))).toEqual([]);
});

describe("the check itself", () => {
  test("heading ids are GitHub's: punctuation dropped, spaces to hyphens, repeats numbered", () => {
    const ids = headingIds(
      ["# graph-sync", "## Testing offline: the emulator", "#### Into another terminal: `--print-env`", "## Node.js versions", "## Tracing and metrics (OpenTelemetry)", "## Examples", "## Examples", "```", "## not a heading", "```"].join("\n"),
    );
    expect([...ids]).toEqual([
      "graph-sync",
      "testing-offline-the-emulator",
      "into-another-terminal---print-env",
      "nodejs-versions",
      "tracing-and-metrics-opentelemetry",
      "examples",
      "examples-1",
    ]);
  });

  test("a missing file and a missing heading are reported with their line; links in code are not links", async () => {
    const root = await mkdtemp(join(tmpdir(), "docs-check-links-"));
    try {
      await writeFile(join(root, "other.md"), "# Other\n\n## Real heading\n");
      await writeFile(
        join(root, "page.md"),
        [
          "# Page",
          "[fine](other.md#real-heading) [fine too](#page) [web](https://example.com/x#y)",
          "[gone](missing.md)",
          "[renamed](other.md#old-heading) and [here](#nowhere)",
          "`[an example](not-a-link.md)`",
          "```",
          "[in a block](nor-this.md)",
          "```",
        ].join("\n"),
      );
      expect(brokenLinks(root, "page.md")).toEqual([
        { file: "page.md", line: 3, target: "missing.md", reason: "no such file: missing.md" },
        { file: "page.md", line: 4, target: "other.md#old-heading", reason: 'other.md has no heading with the id "old-heading"' },
        { file: "page.md", line: 4, target: "#nowhere", reason: 'page.md has no heading with the id "nowhere"' },
      ]);
    } finally {
      await rm(root, { recursive: true, force: true });
    }
  });
});
