// The fenced code blocks of Markdown files, with where they are: what the documentation checks read.
import { readdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";

/** One fenced code block: its info string's language, its text, the file and line it starts on. */
export interface FencedBlock {
  readonly file: string;
  /** 1-based line of the opening fence. */
  readonly line: number;
  readonly language: string;
  readonly text: string;
  /** The HTML comment right above the fence, if any (`<!-- run by … -->`), without its markers. */
  readonly note: string | undefined;
}

/**
 * Every fenced block (``` or ~~~, CommonMark's rules for the closing fence: the same character, at
 * least as long, nothing else on its line) of `markdown`. A block left open runs to the end, as
 * Markdown renders it.
 */
export function fencedBlocks(markdown: string, file: string): FencedBlock[] {
  const lines = markdown.split(/\r?\n/);
  const blocks: FencedBlock[] = [];
  for (let index = 0; index < lines.length; index++) {
    const opening = /^ {0,3}(`{3,}|~{3,})\s*([^\s`]*)/.exec(lines[index] as string);
    if (!opening) continue;
    const fence = opening[1] as string;
    const closing = new RegExp(`^ {0,3}${fence[0] === "`" ? "`" : "~"}{${fence.length},}\\s*$`);
    let end = index + 1;
    while (end < lines.length && !closing.test(lines[end] as string)) end++;
    const above = index > 0 ? /^\s*<!--\s*(.*?)\s*-->\s*$/.exec(lines[index - 1] as string) : null;
    blocks.push({
      file,
      line: index + 1,
      language: (opening[2] as string).toLowerCase(),
      text: lines.slice(index + 1, end).join("\n"),
      note: above?.[1],
    });
    index = end;
  }
  return blocks;
}

/** Folders that hold no documentation of ours: dependencies, build output, git's and nx's own. */
const SKIPPED_FOLDERS = new Set(["node_modules", "dist", ".git", ".nx", "coverage"]);

/** Every Markdown file under `root` (READMEs, CONTRIBUTING.md, changelogs, docs/), paths relative to it, sorted. */
export function markdownFiles(root: string): string[] {
  const found: string[] = [];
  const visit = (folder: string) => {
    for (const entry of readdirSync(folder, { withFileTypes: true })) {
      if (entry.isDirectory()) {
        if (!SKIPPED_FOLDERS.has(entry.name)) visit(join(folder, entry.name));
      } else if (entry.isFile() && entry.name.toLowerCase().endsWith(".md")) {
        found.push(relative(root, join(folder, entry.name)));
      }
    }
  };
  visit(root);
  return found.sort();
}

/** The fenced blocks of every Markdown file under `root`. */
export function blocksUnder(root: string): FencedBlock[] {
  return markdownFiles(root).flatMap((file) => fencedBlocks(readFileSync(join(root, file), "utf8"), file));
}
