/** Sorted-set commands; scores travel as bulk strings (RESP2 doubles) and the SDK parses them. */
import { expect, it } from 'vitest';
import { describeEngines } from './redis-rest.harness.js';

describeEngines('sorted sets', (h) => {
  it('ZADD with NX, XX, GT, LT, CH and INCR', async () => {
    const { redis, key } = h();
    const z = key('z');
    expect(await redis.zadd(z, { score: 1, member: 'a' }, { score: 2, member: 'b' })).toBe(2);
    expect(await redis.zadd(z, { nx: true }, { score: 9, member: 'a' }, { score: 3, member: 'c' })).toBe(1);
    expect(await redis.zadd(z, { xx: true, ch: true }, { score: 5, member: 'a' }, { score: 4, member: 'd' })).toBe(1);
    expect(await redis.zadd(z, { gt: true, ch: true }, { score: 4, member: 'a' })).toBe(0);
    expect(await redis.zadd(z, { lt: true, ch: true }, { score: 4, member: 'a' })).toBe(1);
    expect(await redis.zadd(z, { incr: true }, { score: 1.5, member: 'a' })).toBe(5.5);
    expect(await redis.zadd(z, { xx: true, incr: true }, { score: 1, member: 'nope' })).toBeNull();
    expect(await redis.zscore(z, 'a')).toBe(5.5);
    expect(await redis.zscore(z, 'nope')).toBeNull();
    expect(await redis.zmscore(z, ['a', 'nope', 'b'])).toEqual([5.5, null, 2]);
    expect(await redis.zincrby(z, -0.5, 'a')).toBe(5);
    expect(await redis.zcard(z)).toBe(3);
  });

  it('ZRANGE by rank, REV, BYSCORE with exclusive and infinite bounds, LIMIT, WITHSCORES', async () => {
    const { redis, key } = h();
    const z = key('r');
    await redis.zadd(z, { score: 1, member: 'a' }, { score: 2, member: 'b' }, { score: 3, member: 'c' }, { score: 4, member: 'd' });
    expect(await redis.zrange(z, 0, -1)).toEqual(['a', 'b', 'c', 'd']);
    expect(await redis.zrange(z, -2, -1)).toEqual(['c', 'd']);
    expect(await redis.zrange(z, 0, 1, { rev: true })).toEqual(['d', 'c']);
    expect(await redis.zrange(z, 0, 0, { withScores: true })).toEqual(['a', 1]);
    expect(await redis.zrange(z, '(1', 3, { byScore: true })).toEqual(['b', 'c']);
    expect(await redis.zrange(z, '-inf', '+inf', { byScore: true, offset: 1, count: 2 })).toEqual(['b', 'c']);
    expect(await redis.zrange(z, '+inf', '(2', { byScore: true, rev: true, withScores: true })).toEqual(['d', 4, 'c', 3]);
    expect(await redis.zrange(key('none'), 0, -1)).toEqual([]);
  });

  it('ZREVRANGE, ZRANGEBYSCORE, ZREVRANGEBYSCORE, ZCOUNT, ZRANK', async () => {
    const { redis, key, post } = h();
    const z = key('b');
    await redis.zadd(z, { score: 10, member: 'x' }, { score: 20, member: 'y' }, { score: 30, member: 'z' });
    const b64 = { 'upstash-encoding': 'base64' };
    const raw = async (cmd: (string | number)[]) => ((await (await post('/', cmd, b64)).json()) as { result: unknown }).result;
    const decode = (v: unknown) => (v as string[]).map((s) => Buffer.from(s, 'base64').toString());
    expect(decode(await raw(['zrevrange', z, 0, 1, 'WITHSCORES']))).toEqual(['z', '30', 'y', '20']);
    expect(decode(await raw(['ZRANGEBYSCORE', z, '(10', '+inf', 'limit', 0, 1]))).toEqual(['y']);
    expect(decode(await raw(['zrevrangebyscore', z, 30, '(10']))).toEqual(['z', 'y']);
    expect(await redis.zcount(z, '(10', 30)).toBe(2);
    expect(await redis.zcount(z, '-inf', '(10')).toBe(0);
    expect(await redis.zrank(z, 'y')).toBe(1);
    expect(await redis.zrank(z, 'nope')).toBeNull();
  });

  it('ZREM, ZPOPMIN, ZREMRANGEBYSCORE and ZREMRANGEBYRANK', async () => {
    const { redis, key } = h();
    const z = key('p');
    const m = (n: number) => ({ score: n, member: `m${n}` });
    await redis.zadd(z, m(1), m(2), m(3), m(4), m(5), m(6));
    expect(await redis.zrem(z, 'm6', 'nope')).toBe(1);
    expect(await redis.zpopmin(z)).toEqual(['m1', 1]);
    expect(await redis.zpopmin(z, 2)).toEqual(['m2', 2, 'm3', 3]);
    expect(await redis.zremrangebyscore(z, '(4', '+inf')).toBe(1);
    expect(await redis.zremrangebyrank(z, 0, -1)).toBe(1);
    expect(await redis.exists(z)).toBe(0);
  });

  it('ZSCAN pages member/score pairs', async () => {
    const { redis, key } = h();
    const z = key('s');
    await redis.zadd(z, { score: 1, member: 'a' }, { score: 2.5, member: 'b' });
    const items: (string | number)[] = [];
    let cursor: string | number = 0;
    do {
      const [next, page]: [string | number, (string | number)[]] = await redis.zscan(z, cursor, { count: 1 });
      items.push(...page);
      cursor = next;
    } while (String(cursor) !== '0');
    expect(items).toEqual(['a', 1, 'b', 2.5]);
  });

  it('bad scores and bounds give Redis error texts', async () => {
    const { redis, key } = h();
    await expect(redis.zadd(key('e'), { score: Number.NaN, member: 'a' })).rejects.toThrow();
    await expect(redis.zcount(key('e'), 'x', 1)).rejects.toThrow('ERR min or max is not a float');
    await expect(redis.zadd(key('e'), { nx: true, gt: true } as { nx: true }, { score: 1, member: 'a' })).rejects.toThrow(
      'ERR GT, LT, and/or NX options at the same time are not compatible',
    );
  });
});
