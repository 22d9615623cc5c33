/**
 * The knowledge graph's reads: an entity with its edges at a time, a scope's entities, and the
 * entity facts that search and context fuse with the vector results. Every read is one Redis round
 * trip (EntityGraph.lookup / list), whatever the number of facts.
 */
import type { Deps } from '../deps';
import { notFound } from '../errors';
import { entityKey, queryNames } from './entities';
import { type EntityView, type GraphQuery, toApiEdge, toApiEntity } from './graph-model';
import type { MemoryRecord, Scope } from './model';
import { inScope } from './read-filter';

type GraphDeps = Pick<Deps, 'graph' | 'clock'>;

export interface EntityRequest {
  scope: Scope;
  name: string;
  as_of?: number;
  depth: 1 | 2;
  include_history: boolean;
  limit: number;
}

/** GET /v1/entities/:name — the entity, its current edges (at `as_of`), its neighbours, and on request its closed edges. */
export async function getEntity(deps: GraphDeps, tenant: string, q: EntityRequest) {
  const key = entityKey(q.name);
  const [view] = key
    ? await deps.graph.lookup(tenant, q.scope, { names: [key], at: q.as_of ?? deps.clock.now(), history: q.include_history, depth: q.depth, limit: q.limit, maxEntities: 1 })
    : [];
  if (!view) throw notFound(`No entity named "${q.name.slice(0, 128)}" in this scope.`);
  const edges = (list: EntityView['facts']) => list.filter((e) => inScope(e, q.scope)).map(toApiEdge);
  return {
    entity: toApiEntity(view.entity),
    facts: edges(view.facts),
    facts_total: view.total,
    ...(view.history && { history: edges(view.history) }),
    neighbours: (view.neighbours ?? []).map((n) => ({ ...toApiEntity(n.entity), shared: n.shared, ...(n.view && { facts: edges(n.view.facts) }) })),
  };
}

/** GET /v1/entities — one page of the scope's entities, with how many facts link to each. */
export async function listEntities(deps: Pick<Deps, 'graph'>, tenant: string, q: { scope: Scope; cursor?: string; limit: number }) {
  const page = await deps.graph.list(tenant, q.scope, q.cursor || '0', q.limit);
  return {
    entities: page.entities.map(({ entity, facts }) => ({ ...toApiEntity(entity), facts })),
    next_cursor: page.cursor === '0' ? null : page.cursor,
  };
}

/** How many entities a query may bring in, and facts per entity (beyond the result count). */
const QUERY_ENTITIES = 3;
const FACTS_PER_RESULT = 2;

/** The graph read for a search or context query: the names it may contain, current at `at`. */
export function queryGraph(text: string, at: number, topK: number): GraphQuery | undefined {
  const names = queryNames(text);
  return names.length === 0 ? undefined : { names, at, history: false, depth: 0, limit: topK * FACTS_PER_RESULT, maxEntities: QUERY_ENTITIES };
}

/** The facts linked to the matched entities, interleaved (each entity's newest first), once each, that `accept` lets through. */
export function linkedFacts(views: EntityView[], accept: (r: MemoryRecord) => boolean): MemoryRecord[] {
  const out = new Map<string, MemoryRecord>();
  const longest = Math.max(0, ...views.map((v) => v.facts.length));
  for (let i = 0; i < longest; i++) {
    for (const v of views) {
      const e = v.facts[i];
      if (e && !out.has(e.id)) {
        const { keys: _keys, ...record } = e;
        if (accept(record)) out.set(e.id, record);
      }
    }
  }
  return [...out.values()];
}
