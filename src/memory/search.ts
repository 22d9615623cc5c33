/**
 * Search: one vector query (the index embeds the text), then the pure ranking. With `graph`, the
 * entities the query names are read in the same wave (one Redis EVAL) and their current facts fused
 * with the vector results by reciprocal rank (rank.ts fuse); `explain` shows each side's rank.
 */
import type { Deps } from '../deps';
import { matchesFilter, type Filter } from './filter-match';
import { linkedFacts, queryGraph } from './graph';
import { namespace } from './keys';
import { type Kind, type MemoryRecord, type Scope, toApiMemory } from './model';
import { fuse, rank } from './rank';
import { inScope, readFilter } from './read-filter';

export interface SearchInput {
  query: string;
  scope: Scope;
  filters?: unknown;
  kinds?: Kind[];
  top_k: number;
  threshold?: number;
  as_of?: number;
  include_invalidated?: boolean;
  include_expired?: boolean;
  explain?: boolean;
  graph?: boolean;
}

/** Candidates fetched beyond top_k, so recency and kind can reorder near-ties. */
const OVERFETCH = 2;

export async function search(deps: Pick<Deps, 'index' | 'clock' | 'graph'>, tenant: string, input: SearchInput) {
  const now = deps.clock.now();
  const filter = readFilter({
    scope: input.scope,
    visibility: { now, as_of: input.as_of, include_invalidated: input.include_invalidated, include_expired: input.include_expired },
    kinds: input.kinds,
    filters: input.filters,
  });
  const graphQ = input.graph ? queryGraph(input.query, input.as_of ?? now, input.top_k) : undefined;
  const [matches, views] = await Promise.all([
    deps.index.query(namespace(tenant, input.scope), { text: input.query, topK: Math.min(100, input.top_k * OVERFETCH), filter }),
    // The graph only adds to the vector results: when Redis fails, the search still answers, without `entities`.
    graphQ ? deps.graph.lookup(tenant, input.scope, graphQ).catch(() => null) : [],
  ]);
  const ranked = rank(matches, now).filter((r) => input.threshold === undefined || r.details.similarity >= input.threshold);
  const linked = linkedFacts(views ?? [], (r) => visible(r, input));
  const results = (linked.length > 0 ? fuse(ranked, linked, now) : ranked).slice(0, input.top_k);
  return {
    results: results.map((r) => ({
      ...toApiMemory(r.record),
      score: Number(r.score.toFixed(6)),
      ...(input.explain && { score_details: { ...r.details, filter } }),
    })),
    ...(input.graph && views && { entities: views.map((v) => v.entity.name) }),
  };
}

/** What the vector filter lets through, for a graph fact (already current at `as_of` or now). */
function visible(r: MemoryRecord, input: SearchInput): boolean {
  return inScope(r, input.scope) &&
    (!input.kinds?.length || input.kinds.includes(r.kind)) &&
    (input.filters === undefined || matchesFilter(input.filters as Filter, toApiMemory(r)));
}
