/**
 * Ranking inside one namespace. The filter is applied first and the ranking is exact (a brute-force
 * scan), so a selective filter never returns fewer than topK matches the way Upstash's budgeted
 * approximate search can (§2.6).
 */
import type { Predicate } from './filter-eval.js';
import type { Namespace } from './namespace.js';
import { fuse, idfWeight } from './scoring.js';
import { TopK, type Ranked } from './top-k.js';
import type { Fusion, Similarity, SparseVector, StoredRecord } from './types.js';

/**
 * How query dimensions are weighted:
 *   plain  the inner product as is (no weightingStrategy);
 *   idf    each dimension × Upstash's IDF over the namespace's sparse vectors (weightingStrategy IDF);
 *   bm25   query text against the built-in BM25 model: idf and length normalisation from its statistics.
 * Text-derived records store term counts, which are always saturated by BM25's tf formula.
 */
export type SparseWeighting = 'plain' | 'idf' | 'bm25';

export interface SearchPlan {
  dense?: Float32Array;
  sparse?: SparseVector;
  sparseWeighting: SparseWeighting;
  fusion: Fusion;
  topK: number;
  filter?: Predicate;
}

/**
 * How deep each side is ranked before fusion. Deeper than topK so that a record ranked, say, 12th by
 * one side and 2nd by the other still gets both contributions; 100 keeps fusion cheap.
 */
export const FUSION_DEPTH = 100;

export function search(ns: Namespace, similarity: Similarity, plan: SearchPlan): Ranked<StoredRecord>[] {
  const { dense, sparse, topK } = plan;
  if (dense && sparse) {
    const depth = Math.max(topK, FUSION_DEPTH);
    const lists = [rankDense(ns, similarity, dense, depth, plan.filter), rankSparse(ns, sparse, depth, plan)];
    return fuse(plan.fusion, lists).slice(0, topK);
  }
  if (dense) return rankDense(ns, similarity, dense, topK, plan.filter);
  if (sparse) return rankSparse(ns, sparse, topK, plan);
  return [];
}

function accept(filter: Predicate | undefined): ((r: StoredRecord) => boolean) | undefined {
  return filter && ((r) => filter(r.metadata));
}

function rankDense(ns: Namespace, similarity: Similarity, query: Float32Array, k: number, filter?: Predicate): Ranked<StoredRecord>[] {
  const top = new TopK<StoredRecord>(k);
  ns.dense?.scan(query, similarity, accept(filter), top);
  return top.sorted();
}

/**
 * Term-at-a-time over the inverted index: only records sharing a dimension with the query get a score,
 * so records with no overlap are never returned (as on Upstash).
 */
function rankSparse(ns: Namespace, query: SparseVector, k: number, plan: SearchPlan): Ranked<StoredRecord>[] {
  const acc = new Map<StoredRecord, number>();
  const bm25 = ns.bm25;
  query.indices.forEach((dim, i) => {
    const postings = ns.postings.get(dim);
    if (!postings) return;
    let w = query.values[i]!;
    if (plan.sparseWeighting === 'idf') w *= idfWeight(ns.sparseCount, postings.size);
    else if (plan.sparseWeighting === 'bm25') w *= bm25.idf(dim);
    for (const [rec, v] of postings) {
      const value = rec.terms ? bm25.termWeight(v, rec.terms.length) : v;
      acc.set(rec, (acc.get(rec) ?? 0) + w * value);
    }
  });
  const top = new TopK<StoredRecord>(k);
  for (const [rec, score] of acc) {
    if (!plan.filter || plan.filter(rec.metadata)) top.offer(Math.fround(score), rec);
  }
  return top.sorted();
}
