// Every Mermaid diagram in the repository's Markdown parses with Mermaid's own parser, so that none
// can break silently: GitHub would show its readers an error box where the picture was.
import { join } from "node:path";
import { describe, expect, test } from "vitest";
import { blocksUnder, fencedBlocks } from "../src/markdownBlocks.js";
import { checkMermaidBlocks } from "../src/mermaidDiagrams.js";

const repositoryRoot = join(import.meta.dirname, "../../..");

describe("the repository's diagrams", () => {
  test("every mermaid block of every Markdown file parses", async () => {
    const diagrams = blocksUnder(repositoryRoot).filter((block) => block.language === "mermaid");
    // The README's flow and the emulator README's hosts at least: a walk that finds none is broken.
    expect(diagrams.map((block) => block.file)).toEqual(expect.arrayContaining(["README.md", "packages/emulator/README.md"]));
    expect(await checkMermaidBlocks(diagrams)).toEqual([]);
  });
});

describe("the check itself", () => {
  const markdown = (diagram: string) => ["# A page", "", "```mermaid", diagram, "```", ""].join("\n");

  test("a diagram with a syntax error is reported with its file, line and Mermaid's message", async () => {
    // An arrow with three heads is no Mermaid arrow.
    const blocks = fencedBlocks(markdown("sequenceDiagram\n  Admin->>>Graph: POST acquireAccessToken"), "broken.md");
    const problems = await checkMermaidBlocks(blocks);
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatchObject({ file: "broken.md", line: 3 });
    expect(problems[0]?.message).toMatch(/Parse error on line 2/);
  });

  test("a block that names no diagram type is reported", async () => {
    const problems = await checkMermaidBlocks(fencedBlocks(markdown("sequenceDaigram\n  A->>B: hi"), "typo.md"));
    expect(problems).toHaveLength(1);
    expect(problems[0]?.message).toMatch(/No diagram type detected/);
  });

  test("flowcharts and sequence diagrams that are right pass", async () => {
    const blocks = [
      ...fencedBlocks(markdown("sequenceDiagram\n  participant A as Admin\n  A->>B: hi\n  B-->>A: 204"), "ok.md"),
      ...fencedBlocks(markdown("flowchart LR\n  a[Graph] --> b[(state)]"), "ok.md"),
    ];
    expect(blocks).toHaveLength(2);
    expect(await checkMermaidBlocks(blocks)).toEqual([]);
  });

  test("fences: ~~~ and longer fences, the language is case-insensitive, an unclosed block runs to the end", () => {
    const text = ["~~~Mermaid", "flowchart LR", "~~~", "````sh", "```", "echo inside", "````", "```mermaid", "graph TD"].join("\n");
    expect(fencedBlocks(text, "f.md").map(({ language, line, text }) => ({ language, line, text }))).toEqual([
      { language: "mermaid", line: 1, text: "flowchart LR" },
      { language: "sh", line: 4, text: "```\necho inside" },
      { language: "mermaid", line: 8, text: "graph TD" },
    ]);
  });
});
