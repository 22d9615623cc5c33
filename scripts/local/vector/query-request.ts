/**
 * A query body (`query`, `query-data`, and the resumable variants) → a search plan and include flags.
 */
import { embedQuery, requireEmbedding } from './embed.js';
import type { Namespace } from './namespace.js';
import { filterPredicate } from './filter.js';
import { intInRange, optEnum, optString, parseDense, parseInclude, parseSparse, type IncludeFlags, type Obj } from './payload.js';
import type { SearchPlan } from './search.js';
import { badRequest, type IndexConfig } from './types.js';
import { checkVectorKinds } from './vector-kinds.js';

/** Our topK ceiling (§4 item 13: Upstash's is unconfirmed); the same 1000 as the fetch-by-prefix cap. */
export const MAX_TOP_K = 1000;

export interface ParsedQuery {
  plan: SearchPlan;
  flags: IncludeFlags;
}

/** `ns` (undefined when it does not exist) supplies the statistics a text query is weighted with. */
export function parseQuery(config: IndexConfig, o: Obj, withData: boolean, ns: Namespace | undefined): ParsedQuery {
  const topK = o.topK === undefined ? 10 : intInRange(o.topK, 'topK', 1, MAX_TOP_K);
  const filter = filterPredicate(optString(o, 'filter'));
  const fusion = optEnum(o, 'fusionAlgorithm', ['RRF', 'DBSF'] as const) ?? 'RRF';
  const strategy = optEnum(o, 'weightingStrategy', ['IDF'] as const);
  const base = { topK, fusion, ...(filter && { filter }) };
  const flags = parseInclude(o);
  if (withData) {
    requireEmbedding(config);
    const data = optString(o, 'data');
    if (data === undefined) throw badRequest('data must be a string');
    const mode = optEnum(o, 'queryMode', ['HYBRID', 'DENSE', 'SPARSE'] as const) ?? 'HYBRID';
    const { dense, sparse } = embedQuery(config, data, ns);
    // queryMode only narrows a HYBRID index; a single-kind index has one side anyway.
    const useDense = dense && (config.indexType !== 'HYBRID' || mode !== 'SPARSE');
    const useSparse = sparse && (config.indexType !== 'HYBRID' || mode !== 'DENSE');
    // The model is BM25, so idf is part of it: weightingStrategy adds nothing for text queries.
    const plan: SearchPlan = { ...base, sparseWeighting: 'bm25', ...(useDense && { dense }), ...(useSparse && { sparse }) };
    return { plan, flags };
  }
  const hasDense = o.vector !== undefined && o.vector !== null;
  const hasSparse = o.sparseVector !== undefined && o.sparseVector !== null;
  checkVectorKinds(config, hasDense, hasSparse, 'query');
  const plan: SearchPlan = {
    ...base,
    sparseWeighting: strategy === 'IDF' ? 'idf' : 'plain',
    ...(hasDense && { dense: parseDense(o.vector, config.dimension) }),
    ...(hasSparse && { sparse: parseSparse(o.sparseVector) }),
  };
  return { plan, flags };
}
