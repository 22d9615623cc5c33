/**
 * MemoryLedger on Upstash Redis: per-memory history lists, the id → scope index and the two-level
 * expiry index (per-scope zset of memory ids + a global zset of scopes by their earliest due time, so
 * the sweep never scans keys).
 */
import type { Redis } from '@upstash/redis/cloudflare';
import { expiryScopeMember, keys, parseExpiryScopeMember, primaryScope } from '../memory/keys';
import type { HistoryRow, Scope } from '../memory/model';
import type { LedgerEntry, MemoryLedger } from '../ports';
import { guard } from './guard';

const SCAN_COUNT = 500;

export class RedisLedger implements MemoryLedger {
  constructor(private readonly redis: Redis) {}

  record(tenant: string, scope: Scope, entries: LedgerEntry[]) {
    if (entries.length === 0) return Promise.resolve();
    const p = this.redis.pipeline();
    const primary = primaryScope(scope);
    let earliest = Infinity;
    for (const { record, row } of entries) {
      p.rpush(keys.history(tenant, scope, record.id), JSON.stringify(row));
      p.hset(keys.ids(tenant), { [record.id]: primary });
      // A memory is in the expiry index only while it is current and has an expiry.
      if (record.expires_at !== undefined && record.invalid_at === undefined && row.event !== 'DELETE') {
        p.zadd(keys.expiry(tenant, scope), { score: record.expires_at, member: record.id });
        earliest = Math.min(earliest, record.expires_at);
      } else {
        p.zrem(keys.expiry(tenant, scope), record.id);
      }
    }
    if (earliest !== Infinity) p.zadd(keys.expiryScopes(), { lt: true }, { score: earliest, member: expiryScopeMember(tenant, scope) });
    return guard('redis', async () => void (await p.exec()));
  }

  history(tenant: string, scope: Scope, memoryId: string) {
    return guard('redis', () => this.redis.lrange<HistoryRow>(keys.history(tenant, scope, memoryId), 0, -1));
  }

  locate(tenant: string, memoryId: string) {
    return guard('redis', async () => {
      const primary = await this.redis.hget<string>(keys.ids(tenant), memoryId);
      return primary === null ? null : parseExpiryScopeMember(`${tenant}|${String(primary)}`).scope;
    });
  }

  forget(tenant: string, scope: Scope, memoryIds: string[], opts: { dropHistory?: boolean } = {}) {
    if (memoryIds.length === 0) return Promise.resolve();
    const p = this.redis.pipeline();
    p.hdel(keys.ids(tenant), ...memoryIds);
    p.zrem(keys.expiry(tenant, scope), ...memoryIds);
    if (opts.dropHistory) p.del(...memoryIds.map((id) => keys.history(tenant, scope, id)));
    return guard('redis', async () => void (await p.exec()));
  }

  dueScopes(now: number, limit: number) {
    return guard('redis', async () => {
      const members = await this.redis.zrange<string[]>(keys.expiryScopes(), '-inf', now, { byScore: true, offset: 0, count: limit });
      return members.map((m) => parseExpiryScopeMember(String(m)));
    });
  }

  dueIds(tenant: string, scope: Scope, now: number, limit: number) {
    return guard('redis', async () => {
      const ids = await this.redis.zrange<string[]>(keys.expiry(tenant, scope), '-inf', now, { byScore: true, offset: 0, count: limit });
      return ids.map(String);
    });
  }

  clearExpired(tenant: string, scope: Scope, memoryIds: string[]) {
    return guard('redis', async () => {
      if (memoryIds.length > 0) await this.redis.zrem(keys.expiry(tenant, scope), ...memoryIds);
      const next = await this.redis.zrange<unknown[]>(keys.expiry(tenant, scope), 0, 0, { withScores: true });
      const member = expiryScopeMember(tenant, scope);
      if (next.length >= 2) await this.redis.zadd(keys.expiryScopes(), { score: Number(next[1]), member });
      else await this.redis.zrem(keys.expiryScopes(), member);
    });
  }

  erase(tenant: string, scope: Scope, memoryIds: string[]) {
    return guard('redis', async () => {
      const eventIds = (await this.redis.smembers(keys.scopeEvents(tenant, scope))).map(String);
      const doomed: string[] = eventIds.map((id) => keys.event(tenant, id));
      let cursor = '0';
      do {
        const [next, found] = await this.redis.scan(cursor, { match: `${keys.scopePrefix(tenant, scope)}*`, count: SCAN_COUNT });
        doomed.push(...found);
        cursor = String(next);
      } while (cursor !== '0');
      const p = this.redis.pipeline();
      for (let i = 0; i < doomed.length; i += 500) p.del(...doomed.slice(i, i + 500));
      for (let i = 0; i < memoryIds.length; i += 500) p.hdel(keys.ids(tenant), ...memoryIds.slice(i, i + 500));
      p.zrem(keys.expiryScopes(), expiryScopeMember(tenant, scope));
      await p.exec();
    });
  }
}
