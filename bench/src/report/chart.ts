// An SVG chart of the headline ratios: each contender's cost relative to the floor (node:http),
// one group per measurement, on a log scale so 1.1× and 40× are both readable.
import { CONTENDERS, type ContenderName } from "../contenders.ts";

export interface ChartGroup {
  label: string;
  /** Ratio to the floor, per contender; missing contenders are left out of the group. */
  ratios: Partial<Record<ContenderName, number>>;
}

const COLOURS: Record<ContenderName, string> = {
  "node:http": "#6b7280",
  fetch: "#0ea5e9",
  "graph-client": "#f59e0b",
  kiota: "#8b5cf6",
  "kiota+undici": "#c084fc",
  "sdk+fetch": "#86efac",
  sdk: "#16a34a",
};

const escape = (text: string) => text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");

export function renderRatioChart(title: string, groups: ChartGroup[]): string {
  const barHeight = 14;
  const groupGap = 18;
  const left = 230;
  const plotWidth = 520;
  const top = 56;
  const maxRatio = Math.max(2, ...groups.flatMap((group) => Object.values(group.ratios).filter(Number.isFinite) as number[]));
  const decades = Math.ceil(Math.log10(maxRatio));
  const scale = (ratio: number) => (Math.log10(Math.max(ratio, 1)) / decades) * plotWidth;
  const height = top + groups.reduce((sum, group) => sum + Object.keys(group.ratios).length * barHeight + groupGap, 0) + 40;

  const parts: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${left + plotWidth + 90}" height="${height}" font-family="sans-serif" font-size="12">`,
    `<rect width="100%" height="100%" fill="white"/>`,
    `<text x="10" y="22" font-size="15" font-weight="bold">${escape(title)}</text>`,
  ];
  CONTENDERS.forEach((name, index) => {
    const x = 10 + index * 120;
    parts.push(`<rect x="${x}" y="34" width="10" height="10" fill="${COLOURS[name]}"/><text x="${x + 14}" y="43">${escape(name)}</text>`);
  });
  for (let decade = 0; decade <= decades; decade++) {
    const x = left + (decade / decades) * plotWidth;
    parts.push(`<line x1="${x}" y1="${top - 4}" x2="${x}" y2="${height - 34}" stroke="#e5e7eb"/>`);
    parts.push(`<text x="${x}" y="${height - 20}" text-anchor="middle">${10 ** decade}×</text>`);
  }
  let y = top;
  for (const group of groups) {
    parts.push(`<text x="10" y="${y + 11}" font-weight="bold">${escape(group.label)}</text>`);
    for (const name of CONTENDERS) {
      const ratio = group.ratios[name];
      if (ratio === undefined) continue;
      const width = Number.isFinite(ratio) ? Math.max(scale(ratio), 1) : 0;
      parts.push(`<rect x="${left}" y="${y}" width="${width.toFixed(1)}" height="${barHeight - 3}" fill="${COLOURS[name]}"/>`);
      parts.push(`<text x="${left + width + 4}" y="${y + 10}">${Number.isFinite(ratio) ? `${ratio.toFixed(2)}×` : "–"}</text>`);
      y += barHeight;
    }
    y += groupGap;
  }
  parts.push(`<text x="10" y="${height - 6}" fill="#6b7280">ratio to node:http (lower is better), log scale; measured in one run on one machine</text>`);
  parts.push("</svg>");
  return `${parts.join("\n")}\n`;
}
