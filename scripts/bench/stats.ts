/**
 * Percentiles and medians for the benchmark. Percentiles use the nearest-rank method on a sorted copy
 * (no interpolation), so p99 of 300 samples is the 297th value: a real observation, not a blend.
 */

export interface Spread {
  p50_ms: number;
  p95_ms: number;
  p99_ms: number;
}

export function percentile(values: number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1]!;
}

export const median = (values: number[]): number => percentile(values, 50);

export function spread(timesMs: number[]): Spread {
  return { p50_ms: percentile(timesMs, 50), p95_ms: percentile(timesMs, 95), p99_ms: percentile(timesMs, 99) };
}

/** The median of each percentile across repeated runs: one noisy run cannot move the result alone. */
export function medianSpread(runs: Spread[]): Spread {
  return {
    p50_ms: median(runs.map((r) => r.p50_ms)),
    p95_ms: median(runs.map((r) => r.p95_ms)),
    p99_ms: median(runs.map((r) => r.p99_ms)),
  };
}

/** Rounded for the report: 0.01 ms is below what a loopback HTTP timer can tell apart. */
export const round = (n: number, digits = 2): number => Number(n.toFixed(digits));
