// Links between the repository's Markdown files: a renamed heading or a moved file leaves a reader
// on the top of a page, or on GitHub's 404, without any test noticing. Checked here as GitHub
// resolves them: relative paths from the linking file, anchors by GitHub's heading ids.
import { existsSync, readFileSync, statSync } from "node:fs";
import { dirname, join, normalize } from "node:path";

/** A link whose file or anchor does not exist. */
export interface BrokenLink {
  readonly file: string;
  readonly line: number;
  readonly target: string;
  readonly reason: string;
}

/**
 * The ids GitHub gives the headings of `markdown`: the text without Markdown, lower-cased, with
 * everything but letters, digits, spaces, `-` and `_` dropped and spaces made `-`; a repeated id
 * gets `-1`, `-2`… Headings inside fenced code blocks are not headings.
 */
export function headingIds(markdown: string): Set<string> {
  const ids = new Set<string>();
  const seen = new Map<string, number>();
  for (const line of proseLines(markdown)) {
    const heading = /^ {0,3}#{1,6}\s+(.*?)(?:\s+#+)?\s*$/.exec(line.text);
    if (!heading) continue;
    const text = (heading[1] as string)
      .replace(/\[([^\]]*)\]\([^)]*\)/g, "$1")
      .replace(/<[^>]+>/g, "")
      .toLowerCase();
    const base = text.replace(/[^\p{L}\p{N}\s_-]/gu, "").replace(/\s/g, "-");
    const count = seen.get(base) ?? 0;
    seen.set(base, count + 1);
    ids.add(count === 0 ? base : `${base}-${count}`);
  }
  return ids;
}

/** Every relative link of `file` (a path from `root`) that points at no file, or at no heading of a Markdown file. */
export function brokenLinks(root: string, file: string): BrokenLink[] {
  const markdown = readFileSync(join(root, file), "utf8");
  const broken: BrokenLink[] = [];
  for (const { text, number } of proseLines(markdown)) {
    // Inline code is not a link: `[a](b)` there is an example.
    const prose = text.replace(/`[^`]*`/g, "");
    for (const match of prose.matchAll(/\]\(([^)\s]+)(?:\s+"[^"]*")?\)/g)) {
      const target = match[1] as string;
      if (/^[a-z][a-z0-9+.-]*:/i.test(target)) continue; // https:, mailto:
      const [path, anchor] = target.split("#", 2) as [string, string | undefined];
      const linked = path === "" ? file : normalize(join(dirname(file), decodeURIComponent(path)));
      const absolute = join(root, linked);
      if (!existsSync(absolute)) {
        broken.push({ file, line: number, target, reason: `no such file: ${linked}` });
      } else if (anchor !== undefined && linked.toLowerCase().endsWith(".md") && statSync(absolute).isFile()) {
        if (!headingIds(readFileSync(absolute, "utf8")).has(anchor)) {
          broken.push({ file, line: number, target, reason: `${linked} has no heading with the id "${anchor}"` });
        }
      }
    }
  }
  return broken;
}

/** The lines of `markdown` outside fenced code blocks, with their 1-based numbers. */
function proseLines(markdown: string): Array<{ text: string; number: number }> {
  const lines: Array<{ text: string; number: number }> = [];
  let fence: RegExp | undefined;
  markdown.split(/\r?\n/).forEach((text, index) => {
    if (fence) {
      if (fence.test(text)) fence = undefined;
      return;
    }
    const opening = /^ {0,3}(`{3,}|~{3,})/.exec(text);
    if (opening) {
      const marker = opening[1] as string;
      fence = new RegExp(`^ {0,3}${marker[0] === "`" ? "`" : "~"}{${marker.length},}\\s*$`);
      return;
    }
    lines.push({ text, number: index + 1 });
  });
  return lines;
}
