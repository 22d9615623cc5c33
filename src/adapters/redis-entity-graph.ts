/**
 * EntityGraph on Upstash Redis (scripts in redis-graph-scripts.ts). Reads are one EVAL each; the
 * same read can ride in another pipeline (`lookupCommand`: the context call's working-memory read).
 * Edge writes are `syncEdges`, which the ledger adds to its own pipelines.
 */
import type { Redis } from '@upstash/redis/cloudflare';
import { AMBIGUOUS, type Entity, type EntityDirectory } from '../memory/entities';
import { toEdge, type EntityView, type GraphQuery } from '../memory/graph-model';
import { keys } from '../memory/keys';
import type { MemoryRecord, Scope } from '../memory/model';
import type { EntityGraph } from '../ports';
import { guard } from './guard';
import { EDGE_SYNC, ENTITY_PAGE, GRAPH_READ } from './redis-graph-scripts';

type Pipeline = ReturnType<Redis['pipeline']>;

/** The SDK parses a JSON reply itself; a reply it left as text is parsed here. */
const json = <T>(raw: unknown): T => (typeof raw === 'string' ? (JSON.parse(raw) as T) : (raw as T));

export function lookupCommand(tenant: string, scope: Scope, q: GraphQuery): { script: string; keys: string[]; args: string[] } {
  return {
    script: GRAPH_READ,
    keys: [keys.entities(tenant, scope), keys.entityAliases(tenant, scope), keys.edges(tenant, scope)],
    args: [keys.entityFactsPrefix(tenant, scope), String(Math.trunc(q.at)), q.history ? '1' : '0', String(q.depth), String(q.limit), String(q.maxEntities), ...q.names],
  };
}

/** The scripts build their JSON replies as text (never through cjson, whose empty array is `{}`). */
export const parseLookup = (raw: unknown): EntityView[] => json<EntityView[]>(raw);

/**
 * Adds the edge writes of `records` to pipeline `p` (one EVAL): each fact or preference is stored as
 * an edge when it links an entity and is still a memory (`removed` lists ids deleted or expired).
 */
export function syncEdges(p: Pipeline, tenant: string, scope: Scope, records: MemoryRecord[], removed: string[] = []): void {
  const args: string[] = [];
  for (const r of records) {
    if (r.kind === 'episode') continue;
    const edge = toEdge(r);
    args.push(r.id, edge ? JSON.stringify(edge) : '');
  }
  for (const id of removed) args.push(id, '');
  if (args.length > 0) p.eval(EDGE_SYNC, [keys.edges(tenant, scope)], [keys.entityFactsPrefix(tenant, scope), ...args]);
}

export class RedisEntityGraph implements EntityGraph {
  constructor(private readonly redis: Redis) {}

  directory(tenant: string, scope: Scope) {
    const p = this.redis.pipeline();
    p.hgetall(keys.entities(tenant, scope));
    p.hgetall(keys.entityAliases(tenant, scope));
    return guard('redis', async () => {
      const [ents, aliases] = (await p.exec()) as [Record<string, Entity> | null, Record<string, unknown> | null];
      const dir: EntityDirectory = { entities: new Map(), aliases: new Map() };
      for (const [key, e] of Object.entries(ents ?? {})) dir.entities.set(key, json<Entity>(e));
      // The SDK turns a value like "2024" into a number: keys are text.
      for (const [alias, key] of Object.entries(aliases ?? {})) dir.aliases.set(alias, key === null ? AMBIGUOUS : String(key));
      return dir;
    });
  }

  putEntities(tenant: string, scope: Scope, entities: Entity[], aliases: Array<[string, string]>) {
    if (entities.length === 0 && aliases.length === 0) return Promise.resolve();
    const p = this.redis.pipeline();
    if (entities.length > 0) p.hset(keys.entities(tenant, scope), Object.fromEntries(entities.map((e) => [e.key, JSON.stringify(e)])));
    if (aliases.length > 0) p.hset(keys.entityAliases(tenant, scope), Object.fromEntries(aliases));
    return guard('redis', async () => void (await p.exec()));
  }

  lookup(tenant: string, scope: Scope, q: GraphQuery) {
    if (q.names.length === 0) return Promise.resolve([]);
    const { script, keys: k, args } = lookupCommand(tenant, scope, q);
    return guard('redis', async () => parseLookup(await this.redis.eval(script, k, args)));
  }

  list(tenant: string, scope: Scope, cursor: string, limit: number) {
    return guard('redis', async () => {
      const raw = await this.redis.eval(ENTITY_PAGE, [keys.entities(tenant, scope)], [keys.entityFactsPrefix(tenant, scope), cursor, String(limit)]);
      const page = json<{ cursor: string | number; items: Array<{ entity: Entity; facts: number }> }>(raw);
      return { entities: page.items, cursor: String(page.cursor) };
    });
  }
}
