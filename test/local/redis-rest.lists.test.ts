/** List commands, including the "OK"-as-an-element pitfall of §1.6.1. */
import { expect, it } from 'vitest';
import { describeEngines } from './redis-rest.harness.js';

describeEngines('lists', (h) => {
  it('LPUSH, RPUSH, LRANGE with negative indexes, LLEN and LINDEX', async () => {
    const { redis, key } = h();
    expect(await redis.rpush(key('l'), 'b', 'c')).toBe(2);
    expect(await redis.lpush(key('l'), 'a')).toBe(3);
    expect(await redis.lpush(key('l'), 'y', 'z')).toBe(5); // each pushed at the head in turn: z, y, a
    expect(await redis.lrange(key('l'), 0, -1)).toEqual(['z', 'y', 'a', 'b', 'c']);
    expect(await redis.lrange(key('l'), -2, -1)).toEqual(['b', 'c']);
    expect(await redis.lrange(key('l'), 3, 100)).toEqual(['b', 'c']);
    expect(await redis.lrange(key('l'), 4, 2)).toEqual([]);
    expect(await redis.lrange(key('none'), 0, -1)).toEqual([]);
    expect(await redis.llen(key('l'))).toBe(5);
    expect(await redis.lindex(key('l'), -1)).toBe('c');
    expect(await redis.lindex(key('l'), 99)).toBeNull();
  });

  it('LRANGE returns the string "OK" as an element intact (encoded "T0s=" inside arrays)', async () => {
    const { redis, key } = h();
    await redis.rpush(key('ok'), 'OK', 'PONG', 'x');
    expect(await redis.lrange(key('ok'), 0, -1)).toEqual(['OK', 'PONG', 'x']);
    expect(await redis.lpop(key('ok'))).toBe('OK');
  });

  it('LPOP and RPOP, with and without a count; an emptied list disappears', async () => {
    const { redis, key } = h();
    await redis.rpush(key('p'), 1, 2, 3, 4, 5);
    expect(await redis.lpop(key('p'))).toBe(1);
    expect(await redis.rpop(key('p'))).toBe(5);
    expect(await redis.lpop(key('p'), 2)).toEqual([2, 3]);
    expect(await redis.rpop(key('p'), 5)).toEqual([4]);
    expect(await redis.exists(key('p'))).toBe(0);
    expect(await redis.lpop(key('p'))).toBeNull();
    expect(await redis.rpop(key('p'), 2)).toBeNull();
  });

  it('LTRIM, LSET and LREM', async () => {
    const { redis, key } = h();
    await redis.rpush(key('t'), 'a', 'b', 'a', 'c', 'a', 'd');
    expect(await redis.lrem(key('t'), 1, 'a')).toBe(1);
    expect(await redis.lrem(key('t'), -1, 'a')).toBe(1);
    expect(await redis.lrange(key('t'), 0, -1)).toEqual(['b', 'a', 'c', 'd']);
    expect(await redis.lrem(key('t'), 0, 'a')).toBe(1);
    expect(await redis.lset(key('t'), -1, 'D')).toBe('OK');
    expect(await redis.ltrim(key('t'), 1, -1)).toBe('OK');
    expect(await redis.lrange(key('t'), 0, -1)).toEqual(['c', 'D']);
    await expect(redis.lset(key('t'), 5, 'x')).rejects.toThrow('ERR index out of range');
    await expect(redis.lset(key('none'), 0, 'x')).rejects.toThrow('ERR no such key');
  });
});
