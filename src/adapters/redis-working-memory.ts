/**
 * WorkingMemory on Upstash Redis: the context call's whole Redis side — the session buffer (LRANGE)
 * and every visible core memory block (the blocks LIST script) — as ONE explicit pipeline, so it is
 * one HTTP request. (The SDK's auto-pipelining would send LRANGE on its own and EVAL in a separate
 * write batch: parallel, but three requests instead of one.)
 */
import type { Redis } from '@upstash/redis/cloudflare';
import type { BlockOwner } from '../memory/block-model';
import { keys } from '../memory/keys';
import type { Scope, Turn } from '../memory/model';
import type { WorkingMemory } from '../ports';
import { guard } from './guard';
import { toBlock, type StoredBlock } from './redis-blocks';
import { LIST } from './redis-blocks-lua';
import { normaliseTurn } from './redis-turn-log';

const holderIds = (h: BlockOwner): [string, string] => (h.user_id ? [h.user_id, ''] : ['', h.agent_id ?? '']);

export class RedisWorkingMemory implements WorkingMemory {
  constructor(private readonly redis: Redis) {}

  read(tenant: string, scope: Scope, opts: { maxMessages: number; owners: BlockOwner[] }) {
    const p = this.redis.pipeline();
    p.lrange(keys.buffer(tenant, scope), -Math.max(1, opts.maxMessages), -1);
    if (opts.owners.length > 0) p.eval(LIST, opts.owners.map((o) => keys.blocks(tenant, o)), opts.owners.flatMap(holderIds));
    return guard('redis', async () => {
      const [rawTurns, rawBlocks] = (await p.exec()) as [Turn[], StoredBlock[] | undefined];
      return {
        turns: opts.maxMessages === 0 ? [] : rawTurns.map(normaliseTurn),
        blocks: (rawBlocks ?? []).map(toBlock),
      };
    });
  }
}
