/**
 * Ranking: similarity from the index, fused with recency and kind. Pure, with `now` injected.
 *
 * score = similarity + KIND_WEIGHT[kind] + RECENCY_WEIGHT · 2^(−age / half-life)
 * Similarity dominates; the other two break near-ties in favour of distilled facts and fresh turns.
 */
import type { Kind, MemoryRecord } from './model';

const KIND_WEIGHT: Record<Kind, number> = { fact: 0.04, preference: 0.04, episode: 0 };
const RECENCY_WEIGHT = 0.04;
const HALF_LIFE_MS = 90 * 86_400_000;

export interface Ranked {
  record: MemoryRecord;
  score: number;
  details: { similarity: number; kind: number; recency: number };
}

export function rank(matches: Array<{ record: MemoryRecord; score: number }>, now: number): Ranked[] {
  return matches
    .map(({ record, score }) => {
      const age = Math.max(0, now - record.valid_at);
      const details = {
        similarity: score,
        kind: KIND_WEIGHT[record.kind] ?? 0,
        recency: RECENCY_WEIGHT * 2 ** (-age / HALF_LIFE_MS),
      };
      return { record, score: details.similarity + details.kind + details.recency, details };
    })
    .sort((a, b) => b.score - a.score || a.record.id.localeCompare(b.record.id));
}
