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
  details: { similarity: number; kind: number; recency: number; fusion?: Fusion };
}

/** Where a fused result stood in each list (null: not in it), and its reciprocal-rank score. */
export interface Fusion {
  vector_rank: number | null;
  graph_rank: number | null;
  rrf: number;
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

/** The usual reciprocal-rank-fusion constant: it damps the head of each list so neither dominates. */
const RRF_K = 60;

/**
 * Reciprocal-rank fusion of the ranked vector results with the facts of the entities a query names
 * (graph order: each entity's newest first): score = Σ 1 / (RRF_K + rank) over the lists a memory is
 * in, so a memory both similar and linked rises above either alone. Ranks are 1-based.
 */
export function fuse(vector: Ranked[], graph: MemoryRecord[], now: number): Ranked[] {
  const out = new Map<string, Ranked>();
  vector.forEach((r, i) => out.set(r.record.id, withFusion(r, i + 1, null)));
  const linked = new Map(rank(graph.map((record) => ({ record, score: 0 })), now).map((r) => [r.record.id, r]));
  graph.forEach((record, i) => {
    const known = out.get(record.id);
    out.set(record.id, known ? withFusion(known, known.details.fusion?.vector_rank ?? null, i + 1) : withFusion(linked.get(record.id)!, null, i + 1));
  });
  return [...out.values()].sort((a, b) => b.score - a.score || a.record.id.localeCompare(b.record.id));
}

function withFusion(r: Ranked, vectorRank: number | null, graphRank: number | null): Ranked {
  const rrf = (vectorRank ? 1 / (RRF_K + vectorRank) : 0) + (graphRank ? 1 / (RRF_K + graphRank) : 0);
  return { ...r, score: rrf, details: { ...r.details, fusion: { vector_rank: vectorRank, graph_rank: graphRank, rrf } } };
}
