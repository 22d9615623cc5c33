/**
 * MemoryLedger on Upstash Redis: per-memory history lists, the id → scope index, the two-level
 * expiry index (per-scope zset of memory ids + a global zset of scopes by their earliest due time, so
 * the sweep never scans keys), the compaction queue (a zset of scopes whose facts changed) and the
 * knowledge graph's edges (redis-entity-graph.ts syncEdges, in the same pipelines).
 */
import type { Redis } from '@upstash/redis/cloudflare';
import { expiryScopeMember, keys, parseExpiryScopeMember, primaryScope } from '../memory/keys';
import type { HistoryRow, Scope } from '../memory/model';
import type { ExpiredBatch, LedgerEntry, MemoryLedger } from '../ports';
import { guard } from './guard';
import { syncEdges } from './redis-entity-graph';
import { APPEND_ONCE, CLEAR_TOUCHED, SETTLE_EXPIRED } from './redis-ledger-scripts';

const SCAN_COUNT = 500;

/**
 * Erase, for one block body (KEYS[1]) with label ARGV[1]: removes the body's entry from each attached
 * agent's hash, where it still points at this body. Follows the keys stored in the body, as the block
 * scripts do (redis-blocks-lua.ts).
 */
const DETACH_ERASED = `
local raw = redis.call('GET', KEYS[1])
if not raw then return 0 end
for _, hk in pairs(cjson.decode(raw).attached or {}) do
  if redis.call('HGET', hk, ARGV[1]) == KEYS[1] then redis.call('HDEL', hk, ARGV[1]) end
end
return 1`;

export class RedisLedger implements MemoryLedger {
  constructor(private readonly redis: Redis) {}

  record(tenant: string, scope: Scope, entries: LedgerEntry[]) {
    return this.write(tenant, scope, entries, false);
  }

  recordOnce(tenant: string, scope: Scope, entries: LedgerEntry[]) {
    return this.write(tenant, scope, entries, true);
  }

  private write(tenant: string, scope: Scope, entries: LedgerEntry[], once: boolean) {
    if (entries.length === 0) return Promise.resolve();
    const p = this.redis.pipeline();
    const primary = primaryScope(scope);
    if (once) {
      const args = entries.flatMap(({ row }) => [JSON.stringify(row), row.event, String(row.version)]);
      p.eval(APPEND_ONCE, entries.map(({ record }) => keys.history(tenant, scope, record.id)), args);
    }
    let earliest = Infinity;
    let touched = -Infinity;
    for (const { record, row } of entries) {
      if (!once) p.rpush(keys.history(tenant, scope, record.id), JSON.stringify(row));
      p.hset(keys.ids(tenant), { [record.id]: primary });
      if (record.kind !== 'episode' && (row.event === 'ADD' || row.event === 'UPDATE')) touched = Math.max(touched, row.at);
      // A memory is in the expiry index only while it is current and has an expiry.
      if (record.expires_at !== undefined && record.invalid_at === undefined && row.event !== 'DELETE' && row.event !== 'EXPIRE') {
        p.zadd(keys.expiry(tenant, scope), { score: record.expires_at, member: record.id });
        earliest = Math.min(earliest, record.expires_at);
      } else {
        p.zrem(keys.expiry(tenant, scope), record.id);
      }
    }
    if (earliest !== Infinity) p.zadd(keys.expiryScopes(), { lt: true }, { score: earliest, member: expiryScopeMember(tenant, scope) });
    // New fact text may duplicate an existing one: file the scope for compaction (scored by the write
    // time, which clearTouched compares). Compaction's own writes (`once`) never re-file it.
    if (!once && touched !== -Infinity) p.zadd(keys.compactScopes(), { score: touched, member: expiryScopeMember(tenant, scope) });
    const gone = (e: LedgerEntry) => e.row.event === 'DELETE' || e.row.event === 'EXPIRE';
    syncEdges(p, tenant, scope, entries.filter((e) => !gone(e)).map((e) => e.record), entries.filter(gone).map((e) => e.record.id));
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
    syncEdges(p, tenant, scope, [], memoryIds);
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

  clearExpired(tenant: string, scope: Scope, batch: ExpiredBatch) {
    const k = [keys.expiry(tenant, scope), keys.expiryScopes(), ...batch.expired.map((id) => keys.history(tenant, scope, id))];
    const args = [expiryScopeMember(tenant, scope), String(Math.trunc(batch.at)), String(batch.expired.length), ...batch.expired];
    for (const { id, expires_at } of batch.refile) args.push(id, expires_at === null ? '' : String(expires_at));
    const p = this.redis.pipeline();
    p.eval(SETTLE_EXPIRED, k, args);
    syncEdges(p, tenant, scope, [], batch.expired);
    return guard('redis', async () => void (await p.exec()));
  }

  touchedScopes(limit: number) {
    return guard('redis', async () => {
      const raw = await this.redis.zrange<unknown[]>(keys.compactScopes(), 0, limit - 1, { withScores: true });
      const out: Array<{ tenant: string; scope: Scope; mark: number }> = [];
      for (let i = 0; i + 1 < raw.length; i += 2) out.push({ ...parseExpiryScopeMember(String(raw[i])), mark: Number(raw[i + 1]) });
      return out;
    });
  }

  clearTouched(tenant: string, scope: Scope, mark: number) {
    return guard('redis', async () => void (await this.redis.eval(CLEAR_TOUCHED, [keys.compactScopes()], [expiryScopeMember(tenant, scope), String(mark)])));
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
      // Memories gone from Vector (expired, merged away) keep their id → scope entry while their
      // history lives; every such memory has a history key, which names it.
      const historyPrefix = keys.history(tenant, scope, '');
      const bodyPrefix = keys.blockBody(tenant, scope, '');
      const ids = [...new Set([...memoryIds, ...doomed.filter((k) => k.startsWith(historyPrefix)).map((k) => k.slice(historyPrefix.length))])];
      const p = this.redis.pipeline();
      // Blocks owned here leave their attached agents' hashes first (they point at the body key).
      for (const body of doomed.filter((k) => k.startsWith(bodyPrefix))) p.eval(DETACH_ERASED, [body], [body.slice(bodyPrefix.length)]);
      for (let i = 0; i < doomed.length; i += 500) p.del(...doomed.slice(i, i + 500));
      for (let i = 0; i < ids.length; i += 500) p.hdel(keys.ids(tenant), ...ids.slice(i, i + 500));
      p.zrem(keys.expiryScopes(), expiryScopeMember(tenant, scope));
      p.zrem(keys.compactScopes(), expiryScopeMember(tenant, scope));
      await p.exec();
    });
  }
}
