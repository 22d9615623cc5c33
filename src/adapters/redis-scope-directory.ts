/**
 * ScopeDirectory on Upstash Redis: the tenant's id → primary-scope hash (`eg:{t}:ids`, written by the
 * ledger on every memory write and cleared on delete and erase) read with HSCAN and counted per scope.
 * Nothing is written for it, so it can never disagree with the memories themselves; the price is a read
 * proportional to the tenant's memory count (one round trip per SCAN_COUNT ids), which suits a listing
 * call, not a hot path.
 */
import type { Redis } from '@upstash/redis/cloudflare';
import { keys, parseExpiryScopeMember } from '../memory/keys';
import type { ScopeDirectory } from '../ports';
import { guard } from './guard';

const SCAN_COUNT = 1000;

export class RedisScopeDirectory implements ScopeDirectory {
  constructor(private readonly redis: Redis) {}

  list(tenant: string, maxIds: number) {
    return guard('redis', async () => {
      const counts = new Map<string, number>();
      let cursor = '0';
      let seen = 0;
      do {
        const [next, flat] = await this.redis.hscan(keys.ids(tenant), cursor, { count: SCAN_COUNT });
        // HSCAN answers field, value, field, value …: the value is the memory's primary scope ("u.alice").
        for (let i = 1; i < flat.length; i += 2) {
          const primary = String(flat[i]);
          counts.set(primary, (counts.get(primary) ?? 0) + 1);
        }
        seen += flat.length / 2;
        cursor = String(next);
      } while (cursor !== '0' && seen < maxIds);
      const scopes = [...counts].map(([primary, memories]) => ({ scope: parseExpiryScopeMember(`${tenant}|${primary}`).scope, memories }));
      return { scopes, truncated: cursor !== '0' };
    });
  }
}
