// Summary statistics for repeated measurements. The spread is reported as the relative median
// absolute deviation: robust to the odd slow run that a shared 2-core machine produces.

export function median(values: readonly number[]): number {
  return quantile(values, 0.5);
}

export function quantile(values: readonly number[], q: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const position = (sorted.length - 1) * q;
  const lower = Math.floor(position);
  const upper = Math.ceil(position);
  return sorted[lower]! + (sorted[upper]! - sorted[lower]!) * (position - lower);
}

/** Median absolute deviation divided by the median, as a fraction (0.03 = ±3 %). */
export function relativeSpread(values: readonly number[]): number {
  const middle = median(values);
  if (!Number.isFinite(middle) || middle === 0) return 0;
  return median(values.map((value) => Math.abs(value - middle))) / middle;
}

export interface Summary {
  median: number;
  spread: number;
  runs: number;
}

export function summarize(values: readonly number[]): Summary {
  return { median: median(values), spread: relativeSpread(values), runs: values.length };
}
