/** Hash and set commands; HGETALL comes back as a flat array that the SDK folds into an object. */
import { expect, it } from 'vitest';
import { describeEngines } from './redis-rest.harness.js';

async function scanAll(next: (cursor: string | number) => Promise<[string | number, (string | number)[]]>) {
  const out: (string | number)[] = [];
  let cursor: string | number = 0;
  do {
    const [c, items] = await next(cursor);
    out.push(...items);
    cursor = c;
  } while (String(cursor) !== '0');
  return out;
}

describeEngines('hashes and sets', (h) => {
  it('HSET, HSETNX, HGET, HMGET, HGETALL, HEXISTS, HLEN, HKEYS, HVALS, HDEL', async () => {
    const { redis, key } = h();
    expect(await redis.hset(key('h'), { name: 'ada', age: 36, json: { a: 1 } })).toBe(3);
    expect(await redis.hset(key('h'), { age: 37 })).toBe(0);
    expect(await redis.hsetnx(key('h'), 'name', 'bob')).toBe(0);
    expect(await redis.hsetnx(key('h'), 'city', 'paris')).toBe(1);
    expect(await redis.hget(key('h'), 'name')).toBe('ada');
    expect(await redis.hget(key('h'), 'nope')).toBeNull();
    expect(await redis.hmget(key('h'), 'name', 'age', 'nope')).toEqual({ name: 'ada', age: 37, nope: null });
    expect(await redis.hmget(key('none'), 'a')).toBeNull();
    expect(await redis.hgetall(key('h'))).toEqual({ name: 'ada', age: 37, json: { a: 1 }, city: 'paris' });
    expect(await redis.hgetall(key('none'))).toBeNull();
    expect(await redis.hexists(key('h'), 'city')).toBe(1);
    expect(await redis.hlen(key('h'))).toBe(4);
    expect((await redis.hkeys(key('h'))).sort()).toEqual(['age', 'city', 'json', 'name']);
    expect(await redis.hvals(key('h'))).toHaveLength(4);
    expect(await redis.hdel(key('h'), 'name', 'age', 'json', 'city', 'nope')).toBe(4);
    expect(await redis.exists(key('h'))).toBe(0);
  });

  it('HINCRBY counts and refuses non-integer fields', async () => {
    const { redis, key } = h();
    expect(await redis.hincrby(key('c'), 'n', 5)).toBe(5);
    expect(await redis.hincrby(key('c'), 'n', -2)).toBe(3);
    await redis.hset(key('c'), { s: 'x' });
    await expect(redis.hincrby(key('c'), 's', 1)).rejects.toThrow('ERR hash value is not an integer');
  });

  it('HSCAN walks every field with MATCH', async () => {
    const { redis, key } = h();
    await redis.hset(key('scan'), { a1: 1, a2: 2, b1: 3 });
    const items = await scanAll((c) => redis.hscan(key('scan'), c, { match: 'a*', count: 1 }));
    const pairs: Record<string, unknown> = {};
    for (let i = 0; i < items.length; i += 2) pairs[String(items[i])] = items[i + 1];
    expect(pairs).toEqual({ a1: 1, a2: 2 });
  });

  it('SADD, SREM, SMEMBERS, SISMEMBER, SMISMEMBER, SCARD', async () => {
    const { redis, key } = h();
    expect(await redis.sadd(key('s'), 'a', 'b', 'c')).toBe(3);
    expect(await redis.sadd(key('s'), 'a', 'd')).toBe(1);
    expect(await redis.srem(key('s'), 'd', 'zz')).toBe(1);
    expect((await redis.smembers(key('s'))).sort()).toEqual(['a', 'b', 'c']);
    expect(await redis.smembers(key('none'))).toEqual([]);
    expect(await redis.sismember(key('s'), 'a')).toBe(1);
    expect(await redis.sismember(key('s'), 'z')).toBe(0);
    expect(await redis.smismember(key('s'), ['a', 'z', 'c'])).toEqual([1, 0, 1]);
    expect(await redis.scard(key('s'))).toBe(3);
  });

  it('SINTER, SUNION and SSCAN', async () => {
    const { redis, key } = h();
    await redis.sadd(key('x'), 'a', 'b', 'c');
    await redis.sadd(key('y'), 'b', 'c', 'd');
    expect((await redis.sinter(key('x'), key('y'))).sort()).toEqual(['b', 'c']);
    expect(await redis.sinter(key('x'), key('none'))).toEqual([]);
    expect((await redis.sunion(key('x'), key('y'))).sort()).toEqual(['a', 'b', 'c', 'd']);
    const members = await scanAll((c) => redis.sscan(key('x'), c, { count: 2 }));
    expect(members.map(String).sort()).toEqual(['a', 'b', 'c']);
    await redis.set(key('str'), 'v');
    await expect(redis.sinter(key('x'), key('str'))).rejects.toThrow('WRONGTYPE');
  });
});
