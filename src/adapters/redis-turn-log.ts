/**
 * TurnLog on Upstash Redis. Appending is one EVAL so dedup, buffer, extraction log and pending mark
 * change together or not at all (a retried ingest with the same message ids writes nothing new).
 */
import type { Redis } from '@upstash/redis/cloudflare';
import { CLAIM_TTL_MS, keys } from '../memory/keys';
import type { Scope, Turn } from '../memory/model';
import type { TurnLog } from '../ports';
import { guard } from './guard';

// KEYS: buffer, seen, log, seq, pending. ARGV: bufferSize, ttlSeconds, eventId, log ("1"/"0"), (id, json)…
// The log zset scores are the turn seqs; members are the turn JSON (unique: it holds the id).
const APPEND = `
local added = {}
local logged = ARGV[4] == '1'
for i = 5, #ARGV, 2 do
  if redis.call('SADD', KEYS[2], ARGV[i]) == 1 then
    redis.call('RPUSH', KEYS[1], ARGV[i + 1])
    if logged then
      redis.call('ZADD', KEYS[3], redis.call('INCR', KEYS[4]), ARGV[i + 1])
    end
    added[#added + 1] = ARGV[i]
  end
end
if #added > 0 then
  redis.call('LTRIM', KEYS[1], -tonumber(ARGV[1]), -1)
  if logged then redis.call('SET', KEYS[5], ARGV[3]) end
end
redis.call('EXPIRE', KEYS[1], ARGV[2])
redis.call('EXPIRE', KEYS[2], ARGV[2])
return added`;

export class RedisTurnLog implements TurnLog {
  constructor(private readonly redis: Redis) {}

  append(tenant: string, scope: Scope, turns: Turn[], opts: { eventId: string; bufferSize: number; ttlSeconds: number; log: boolean }) {
    const args: string[] = [String(opts.bufferSize), String(opts.ttlSeconds), opts.eventId, opts.log ? '1' : '0'];
    for (const t of turns) args.push(t.id, JSON.stringify(t));
    const k = [keys.buffer(tenant, scope), keys.seen(tenant, scope), keys.turnLog(tenant, scope), keys.turnSeq(tenant, scope), keys.pending(tenant, scope)];
    return guard('redis', async () => {
      const added = new Set(((await this.redis.eval(APPEND, k, args)) as unknown[]).map(String));
      return turns.filter((t) => added.has(t.id));
    });
  }

  recent(tenant: string, scope: Scope, limit: number) {
    return guard('redis', async () => (await this.redis.lrange<Turn>(keys.buffer(tenant, scope), -limit, -1)).map(normaliseTurn));
  }

  clearSession(tenant: string, scope: Scope) {
    // The seen-id set goes too: after a clear, re-sending a message is a new turn again.
    return guard('redis', async () => void (await this.redis.del(keys.buffer(tenant, scope), keys.seen(tenant, scope))));
  }

  pending(tenant: string, scope: Scope, limit: number) {
    return guard('redis', async () => {
      const [raw, mark] = await Promise.all([
        this.redis.zrange<unknown[]>(keys.turnLog(tenant, scope), 0, limit - 1, { withScores: true }),
        this.redis.get<string>(keys.pending(tenant, scope)),
      ]);
      const turns: Turn[] = [];
      for (let i = 0; i + 1 < raw.length; i += 2) turns.push({ ...normaliseTurn(raw[i] as Turn), seq: Number(raw[i + 1]) });
      return { turns, pendingEventId: mark === null ? null : String(mark) };
    });
  }

  advance(tenant: string, scope: Scope, seq: number) {
    const tx = this.redis.multi();
    tx.set(keys.watermark(tenant, scope), seq);
    tx.zremrangebyscore(keys.turnLog(tenant, scope), '-inf', seq);
    return guard('redis', async () => void (await tx.exec()));
  }

  claim(tenant: string, scope: Scope, eventId: string) {
    return guard('redis', async () => (await this.redis.set(keys.claim(tenant, scope, eventId), '1', { nx: true, px: CLAIM_TTL_MS })) === 'OK');
  }

  release(tenant: string, scope: Scope, eventId: string) {
    return guard('redis', async () => void (await this.redis.del(keys.claim(tenant, scope, eventId))));
  }
}

/** The SDK JSON-parses values; ids and contents that look like numbers come back as numbers. */
export function normaliseTurn(t: Turn): Turn {
  return { ...t, id: String(t.id), content: String(t.content) };
}
