/** Search: one vector query (the index embeds the text), then the pure ranking. */
import type { Deps } from '../deps';
import { namespace } from './keys';
import { type Kind, type Scope, toApiMemory } from './model';
import { rank } from './rank';
import { readFilter } from './read-filter';

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
}

/** Candidates fetched beyond top_k, so recency and kind can reorder near-ties. */
const OVERFETCH = 2;

export async function search(deps: Pick<Deps, 'index' | 'clock'>, tenant: string, input: SearchInput) {
  const now = deps.clock.now();
  const filter = readFilter({
    scope: input.scope,
    visibility: { now, as_of: input.as_of, include_invalidated: input.include_invalidated, include_expired: input.include_expired },
    kinds: input.kinds,
    filters: input.filters,
  });
  const matches = await deps.index.query(namespace(tenant, input.scope), { text: input.query, topK: Math.min(100, input.top_k * OVERFETCH), filter });
  const ranked = rank(matches, now)
    .filter((r) => input.threshold === undefined || r.details.similarity >= input.threshold)
    .slice(0, input.top_k);
  return {
    results: ranked.map((r) => ({
      ...toApiMemory(r.record),
      score: Number(r.score.toFixed(6)),
      ...(input.explain && { score_details: { ...r.details, filter } }),
    })),
  };
}
