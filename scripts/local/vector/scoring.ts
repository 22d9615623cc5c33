/**
 * Score semantics of UPSTASH_PROTOCOLS.md §2.6: dense similarity normalisations (the dot products
 * themselves come from the SIMD kernel in simd.ts), sparse IDF, and the two hybrid fusions. Every
 * score is rounded to float32 (see floats.ts), so an exact match scores exactly 1 under all three
 * similarity functions.
 */
import type { Fusion, Similarity } from './types.js';
import type { Ranked } from './top-k.js';

/** The 0..1 score of a dense pair from its dot product and squared norms. */
export function denseScore(similarity: Similarity, ab: number, aa: number, bb: number): number {
  switch (similarity) {
    case 'COSINE': {
      // sqrt(|a|²·|b|²), not sqrt(|a|²)·sqrt(|b|²): the latter can give 0.9999999999999998 for a == b.
      const denom = aa * bb;
      const cos = denom > 0 ? Math.min(1, Math.max(-1, ab / Math.sqrt(denom))) : 0;
      return Math.fround((1 + cos) / 2);
    }
    case 'EUCLIDEAN':
      // The squared distance, as Upstash documents; the max() guards rounding below zero.
      return Math.fround(1 / (1 + Math.max(0, aa + bb - 2 * ab)));
    case 'DOT_PRODUCT':
      return Math.fround((1 + ab) / 2);
  }
}

/** RRF constant of §2.6: each list contributes 1/(rank + 60). */
export const RRF_K = 60;

/**
 * Reciprocal rank fusion. Ranks start at 1, as in Cormack et al.'s formula (§4 item 10: our
 * decision), so a record first in both lists scores 2/61.
 */
export function fuseRrf<T extends { seq: number }>(lists: Ranked<T>[][]): Ranked<T>[] {
  const acc = new Map<T, number>();
  for (const list of lists) {
    list.forEach((r, i) => acc.set(r.item, (acc.get(r.item) ?? 0) + 1 / (i + 1 + RRF_K)));
  }
  return sortFused(acc);
}

/**
 * Distribution-based score fusion: each list's scores are mapped through (s − (μ−3σ)) / (6σ), then
 * summed per record. A list whose scores are all equal (σ = 0, e.g. a single result) maps every score
 * to 1 (§4 item 10: our decision — the list has no spread to normalise, and its members did match).
 */
export function fuseDbsf<T extends { seq: number }>(lists: Ranked<T>[][]): Ranked<T>[] {
  const acc = new Map<T, number>();
  for (const list of lists) {
    if (list.length === 0) continue;
    const mean = list.reduce((s, r) => s + r.score, 0) / list.length;
    const variance = list.reduce((s, r) => s + (r.score - mean) ** 2, 0) / list.length;
    const sd = Math.sqrt(variance);
    const low = mean - 3 * sd;
    for (const r of list) {
      const norm = sd > 0 ? (r.score - low) / (6 * sd) : 1;
      acc.set(r.item, (acc.get(r.item) ?? 0) + norm);
    }
  }
  return sortFused(acc);
}

function sortFused<T extends { seq: number }>(acc: Map<T, number>): Ranked<T>[] {
  const out = [...acc].map(([item, score]) => ({ item, score: Math.fround(score) }));
  return out.sort((a, b) => b.score - a.score || a.item.seq - b.item.seq);
}

export function fuse<T extends { seq: number }>(fusion: Fusion, lists: Ranked<T>[][]): Ranked<T>[] {
  return fusion === 'DBSF' ? fuseDbsf(lists) : fuseRrf(lists);
}

/** Upstash's IDF weight of a sparse dimension held by `n` of `total` sparse vectors. */
export function idfWeight(total: number, n: number): number {
  return Math.log((total - n + 0.5) / (n + 0.5) + 1);
}
