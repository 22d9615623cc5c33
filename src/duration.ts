/**
 * Durations as people write them in config and in the admin API: "60 s", "10s", "5 m", "1 h", "1 d",
 * "500 ms" — the format @upstash/ratelimit takes — read into milliseconds.
 */
const UNIT_MS = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 } as const;
export const DURATION = /^(\d{1,9})\s?(ms|s|m|h|d)$/;

/** Milliseconds of a duration text; NaN when it is not one. */
export function durationMs(text: string): number {
  const m = DURATION.exec(text.trim());
  return m ? Number(m[1]) * UNIT_MS[m[2] as keyof typeof UNIT_MS] : Number.NaN;
}

/** The shortest exact text for `ms` in the same format, e.g. 60000 → "1 m", 1500 → "1500 ms". */
export function formatDuration(ms: number): string {
  for (const unit of ['d', 'h', 'm', 's'] as const) if (ms % UNIT_MS[unit] === 0) return `${ms / UNIT_MS[unit]} ${unit}`;
  return `${ms} ms`;
}
