/** Keyspace and TTL commands; expiry is checked by advancing the server clock (in-memory engine). */
import { expect, it } from 'vitest';
import { describeEngines } from './redis-rest.harness.js';

describeEngines('keys and TTL', (h, c) => {
  const memoryOnly = c.kind === 'memory' ? it : it.skip;

  it('DEL, UNLINK, EXISTS and TYPE (TYPE is a status reply the SDK must decode)', async () => {
    const { redis, key } = h();
    await redis.set(key('s'), 'v');
    await redis.rpush(key('l'), 'a');
    await redis.hset(key('h'), { f: 1 });
    await redis.sadd(key('set'), 'm');
    await redis.zadd(key('z'), { score: 1, member: 'm' });
    expect(await redis.exists(key('s'), key('l'), key('none'))).toBe(2);
    const types = await Promise.all(['s', 'l', 'h', 'set', 'z', 'none'].map((k) => redis.type(key(k))));
    expect(types).toEqual(['string', 'list', 'hash', 'set', 'zset', 'none']);
    expect(await redis.del(key('s'), key('l'), key('none'))).toBe(2);
    expect(await redis.unlink(key('h'), key('set'))).toBe(2);
    expect(await redis.exists(key('s'), key('h'))).toBe(0);
  });

  it('EXPIRE, PEXPIRE, EXPIREAT, PEXPIREAT, TTL, PTTL and PERSIST', async () => {
    const { redis, key } = h();
    await redis.set(key('k'), 'v');
    expect(await redis.ttl(key('k'))).toBe(-1);
    expect(await redis.ttl(key('none'))).toBe(-2);
    expect(await redis.pttl(key('none'))).toBe(-2);
    expect(await redis.expire(key('k'), 100)).toBe(1);
    expect(await redis.ttl(key('k'))).toBeGreaterThan(98);
    expect(await redis.pexpire(key('k'), 50_000)).toBe(1);
    expect(await redis.pttl(key('k'))).toBeGreaterThan(49_000);
    const now = Number((await redis.time())[0]);
    expect(await redis.expireat(key('k'), now + 200)).toBe(1);
    expect(await redis.ttl(key('k'))).toBeGreaterThan(190);
    expect(await redis.pexpireat(key('k'), (now + 300) * 1000)).toBe(1);
    expect(await redis.ttl(key('k'))).toBeGreaterThan(290);
    expect(await redis.persist(key('k'))).toBe(1);
    expect(await redis.persist(key('k'))).toBe(0);
    expect(await redis.expire(key('none'), 10)).toBe(0);
  });

  it('EXPIRE honours NX, XX, GT and LT', async () => {
    const { redis, key } = h();
    await redis.set(key('k'), 'v');
    expect(await redis.expire(key('k'), 100, 'XX')).toBe(0);
    expect(await redis.expire(key('k'), 100, 'NX')).toBe(1);
    expect(await redis.expire(key('k'), 50, 'GT')).toBe(0);
    expect(await redis.expire(key('k'), 200, 'GT')).toBe(1);
    expect(await redis.expire(key('k'), 300, 'LT')).toBe(0);
    expect(await redis.expire(key('k'), 10, 'LT')).toBe(1);
  });

  it('an expiry in the past deletes the key at once', async () => {
    const { redis, key } = h();
    await redis.set(key('k'), 'v');
    expect(await redis.expireat(key('k'), 1)).toBe(1);
    expect(await redis.exists(key('k'))).toBe(0);
  });

  it('KEYS and SCAN with MATCH, COUNT and TYPE', async () => {
    const { redis, key } = h();
    await redis.mset({ [key('scan:a')]: 1, [key('scan:b')]: 2, [key('scan:c')]: 3 });
    await redis.rpush(key('scan:list'), 'x');
    expect((await redis.keys(key('scan:?'))).sort()).toEqual([key('scan:a'), key('scan:b'), key('scan:c')]);
    const seen: string[] = [];
    let cursor: string | number = 0;
    do {
      const [next, keys]: [string | number, string[]] = await redis.scan(cursor, { match: key('scan:*'), count: 2 });
      seen.push(...keys);
      cursor = next;
    } while (String(cursor) !== '0');
    expect([...new Set(seen)].sort()).toEqual([key('scan:a'), key('scan:b'), key('scan:c'), key('scan:list')]);
    const lists: string[] = [];
    cursor = 0;
    do {
      const [next, keys]: [string | number, string[]] = await redis.scan(cursor, { match: key('scan:*'), type: 'list', count: 1000 });
      lists.push(...keys);
      cursor = next;
    } while (String(cursor) !== '0');
    expect(lists).toEqual([key('scan:list')]);
  });

  it('TIME answers [seconds, microseconds] as the SDK expects', async () => {
    const [seconds, micros] = await h().redis.time();
    expect(seconds).toBeGreaterThan(1_600_000_000);
    expect(micros).toBeGreaterThanOrEqual(0);
    expect(micros).toBeLessThan(1_000_000);
  });

  memoryOnly('keys expire when the server clock passes their deadline', async () => {
    const { redis, key, advance } = h();
    await redis.set(key('ex'), 'v', { ex: 10 });
    await redis.set(key('px'), 'v', { px: 500 });
    await redis.set(key('keep'), 'v');
    await redis.hset(key('h'), { f: 1 });
    await redis.pexpire(key('h'), 2_000);
    await advance(600);
    expect(await redis.get(key('px'))).toBeNull();
    expect(await redis.ttl(key('ex'))).toBe(9);
    await advance(9_500);
    expect(await redis.get(key('ex'))).toBeNull();
    expect(await redis.hgetall(key('h'))).toBeNull();
    expect(await redis.exists(key('ex'), key('h'), key('keep'))).toBe(1);
    expect(await redis.ttl(key('ex'))).toBe(-2);
  });

  memoryOnly('TIME and EXPIREAT follow the advanced server clock', async () => {
    const { redis, key, advance } = h();
    const before = Number((await redis.time())[0]);
    await advance(3_600_000);
    const after = Number((await redis.time())[0]);
    expect(after - before).toBeGreaterThanOrEqual(3_600);
    await redis.set(key('at'), 'v');
    await redis.expireat(key('at'), after + 60);
    expect(await redis.ttl(key('at'))).toBeGreaterThan(55);
    await advance(61_000);
    expect(await redis.get(key('at'))).toBeNull();
  });

  memoryOnly('DBSIZE, FLUSHDB and FLUSHALL work on the in-memory engine', async () => {
    const { redis, key } = h();
    await redis.flushdb();
    await redis.mset({ [key('a')]: 1, [key('b')]: 2 });
    expect(await redis.dbsize()).toBe(2);
    expect(await redis.flushall()).toBe('OK');
    expect(await redis.dbsize()).toBe(0);
  });

  it.runIf(c.kind === 'redis')('FLUSHDB and FLUSHALL are refused on the shared real Redis', async () => {
    await expect(h().redis.flushdb()).rejects.toThrow(/refused by the local server/);
    await expect(h().redis.flushall()).rejects.toThrow(/refused by the local server/);
  });
});
