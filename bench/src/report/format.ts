// Number formatting shared by the Markdown report and the chart.
import type { Summary } from "../stats.ts";

export function formatMs(value: number): string {
  if (!Number.isFinite(value)) return "–";
  if (value >= 100) return value.toFixed(0);
  if (value >= 10) return value.toFixed(1);
  if (value >= 1) return value.toFixed(2);
  return value.toFixed(3);
}

export function formatSummary(summary: Summary): string {
  return `${formatMs(summary.median)} ±${(summary.spread * 100).toFixed(0)}%`;
}

export function formatRatio(value: number, reference: number): string {
  if (!Number.isFinite(value) || !Number.isFinite(reference) || reference === 0) return "–";
  return `${(value / reference).toFixed(2)}×`;
}

export function formatBytes(bytes: number): string {
  return bytes >= 1024 * 1024 ? `${(bytes / 1024 / 1024).toFixed(2)} MiB` : `${(bytes / 1024).toFixed(1)} KiB`;
}
