/**
 * Float handling. Vectors are stored as float32 (as a real vector database does) and printed in the
 * shortest decimal form that reads back as the same float32, so `[0.1, 0.2]` round-trips as
 * `[0.1, 0.2]`, not `[0.10000000149011612, ...]` (UPSTASH_PROTOCOLS.md §4 item 27: our decision).
 * Scores get the same treatment, which also makes a dot product of a unit vector with itself a clean 1.
 */

/** The shortest decimal that `Math.fround` maps back to the same float32 as `x`. */
export function shortestF32(x: number): number {
  const f = Math.fround(x);
  if (!Number.isFinite(f) || Number.isInteger(f)) return f;
  for (let digits = 1; digits <= 9; digits++) {
    const candidate = Number(f.toPrecision(digits));
    if (Math.fround(candidate) === f) return candidate;
  }
  return f;
}

export function printF32(values: ArrayLike<number>): number[] {
  const out = new Array<number>(values.length);
  for (let i = 0; i < values.length; i++) out[i] = shortestF32(values[i]!);
  return out;
}

/** A score as the wire shows it: float32 precision, shortest form. */
export const printScore = shortestF32;
