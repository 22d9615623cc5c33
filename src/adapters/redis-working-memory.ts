/**
 * WorkingMemory on Upstash Redis: the context call's whole Redis side — the session buffer (LRANGE),
 * every visible core memory block (the blocks LIST script) and the entities the query names (the
 * graph's read script) — as ONE explicit pipeline, so it is
 * one HTTP request. (The SDK's auto-pipelining would send LRANGE on its own and EVAL in a separate
 * write batch: parallel, but three requests instead of one.)
 */
import type { Redis } from '@upstash/redis/cloudflare';
import type { BlockOwner } from '../memory/block-model';
import { keys } from '../memory/keys';
import type { Scope, Turn } from '../memory/model';
import type { GraphQuery } from '../memory/graph-model';
import type { WorkingMemory } from '../ports';
import { lookupCommand, parseLookup } from './redis-entity-graph';
import { guard } from './guard';
import { toBlock, type StoredBlock } from './redis-blocks';
import { LIST } from './redis-blocks-lua';
import { normaliseTurn } from './redis-turn-log';

const holderIds = (h: BlockOwner): [string, string] => (h.user_id ? [h.user_id, ''] : ['', h.agent_id ?? '']);

export class RedisWorkingMemory implements WorkingMemory {
  constructor(private readonly redis: Redis) {}

  read(tenant: string, scope: Scope, opts: { maxMessages: number; owners: BlockOwner[]; graph?: GraphQuery }) {
    const p = this.redis.pipeline();
    p.lrange(keys.buffer(tenant, scope), -Math.max(1, opts.maxMessages), -1);
    const withBlocks = opts.owners.length > 0;
    if (withBlocks) p.eval(LIST, opts.owners.map((o) => keys.blocks(tenant, o)), opts.owners.flatMap(holderIds));
    const withGraph = opts.graph !== undefined && opts.graph.names.length > 0;
    if (withGraph) {
      const g = lookupCommand(tenant, scope, opts.graph!);
      p.eval(g.script, g.keys, g.args);
    }
    return guard('redis', async () => {
      const replies = (await p.exec()) as unknown[];
      const rawTurns = replies[0] as Turn[];
      const rawBlocks = withBlocks ? (replies[1] as StoredBlock[]) : [];
      return {
        turns: opts.maxMessages === 0 ? [] : rawTurns.map(normaliseTurn),
        blocks: rawBlocks.map(toBlock),
        entities: withGraph ? parseLookup(replies[withBlocks ? 2 : 1]) : [],
      };
    });
  }
}
