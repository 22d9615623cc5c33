/**
 * The `*-data` side: text → the vectors this index holds, with the built-in local text model
 * (hashed dense embedding, BM25 sparse). Upstash runs hosted models here; see text-model.ts.
 *
 * Documents and queries are embedded asymmetrically: a document's dense vector is corpus-free (so it
 * never goes stale), a query's dense side weights its words by the namespace's idf, and its sparse side
 * is scored with the namespace's BM25 statistics.
 */
import { Bm25, embedDense, termId } from '../text-model.js';
import type { Namespace } from './namespace.js';
import { unprocessable, NO_EMBEDDING_MESSAGE, type IndexConfig, type SparseVector, type TermCounts } from './types.js';

// Only its (stateless) tokenising `sparse()` is used here; each namespace keeps its own statistics.
const tokenizer = new Bm25();

export function requireEmbedding(config: IndexConfig): void {
  if (!config.embedding) throw unprocessable(NO_EMBEDDING_MESSAGE);
}

/** A document's dense vector (DENSE/HYBRID indexes) and its BM25 term counts (always: they feed idf). */
export function embedDocument(config: IndexConfig, data: string): { dense?: Float32Array; terms: TermCounts } {
  const terms = tokenizer.sparse(data);
  if (config.indexType === 'SPARSE') return { terms };
  return { dense: embedDense(data, config.dimension, { role: 'document' }), terms };
}

/** A query's vectors, weighted with the statistics of the namespace it runs against (if it exists). */
export function embedQuery(config: IndexConfig, data: string, ns: Namespace | undefined): { dense?: Float32Array; sparse?: SparseVector } {
  const out: { dense?: Float32Array; sparse?: SparseVector } = {};
  if (config.indexType !== 'SPARSE') {
    const bm25 = ns?.bm25;
    const termWeight = bm25 && ((stem: string) => bm25.idf(termId(stem)));
    out.dense = embedDense(data, config.dimension, { role: 'query', ...(termWeight && { termWeight }) });
  }
  if (config.indexType !== 'DENSE') {
    const { indices, values } = tokenizer.sparse(data);
    out.sparse = { indices, values };
  }
  return out;
}
