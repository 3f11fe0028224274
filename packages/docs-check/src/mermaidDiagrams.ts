// Mermaid diagrams are code that GitHub renders: a typo shows the reader an error box instead of
// the picture. Each is parsed here with Mermaid's own parser (the one the renderer runs first).
import type { FencedBlock } from "./markdownBlocks.js";

/** A diagram that does not parse, and Mermaid's message (which points at the line and token). */
export interface DiagramProblem {
  readonly file: string;
  readonly line: number;
  readonly message: string;
}

/**
 * Parses each `mermaid` block with `mermaid.parse` and returns the ones that fail. No browser: the
 * parsers (jison for sequence diagrams and flowcharts, langium for the newer types) run in Node;
 * only the sanitizer Mermaid applies to labels (DOMPurify) needs a DOM to exist, and gets jsdom's
 * window. Mermaid's renderer, which needs a real layout engine, is never called.
 */
export async function checkMermaidBlocks(blocks: readonly FencedBlock[]): Promise<DiagramProblem[]> {
  const mermaid = await loadMermaid();
  const problems: DiagramProblem[] = [];
  for (const block of blocks) {
    if (block.language !== "mermaid") continue;
    try {
      await mermaid.parse(block.text);
    } catch (error) {
      problems.push({ file: block.file, line: block.line, message: error instanceof Error ? error.message : String(error) });
    }
  }
  return problems;
}

let mermaidModule: Promise<typeof import("mermaid").default> | undefined;

/**
 * Mermaid, loaded once and on first use (it is large), after a jsdom window is in place: DOMPurify
 * looks for `window` when it is first imported and, in plain Node, leaves out `addHook`, which
 * Mermaid calls for every diagram with labels.
 */
function loadMermaid(): Promise<typeof import("mermaid").default> {
  mermaidModule ??= (async () => {
    if (!("window" in globalThis)) {
      const { JSDOM } = await import("jsdom");
      Object.defineProperty(globalThis, "window", { value: new JSDOM("").window, configurable: true });
    }
    return (await import("mermaid")).default;
  })();
  return mermaidModule;
}
