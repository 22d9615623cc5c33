/** String and counter commands through the official SDK, on every engine. */
import { expect, it } from 'vitest';
import { describeEngines } from './redis-rest.harness.js';

describeEngines('strings', (h) => {
  it('SET and GET round-trip strings, JSON and numbers as the SDK deserialises them', async () => {
    const { redis, key } = h();
    expect(await redis.set(key('s'), 'hello')).toBe('OK');
    expect(await redis.get(key('s'))).toBe('hello');
    await redis.set(key('j'), { name: 'ada', tags: ['x'] });
    expect(await redis.get(key('j'))).toEqual({ name: 'ada', tags: ['x'] });
    await redis.set(key('n'), 1.5);
    expect(await redis.get(key('n'))).toBe(1.5);
    await redis.set(key('u'), 'héllo ✓ 日本');
    expect(await redis.get(key('u'))).toBe('héllo ✓ 日本');
    expect(await redis.get(key('missing'))).toBeNull();
  });

  it('SET honours NX, XX, GET and KEEPTTL', async () => {
    const { redis, key } = h();
    expect(await redis.set(key('nx'), 'a', { nx: true })).toBe('OK');
    expect(await redis.set(key('nx'), 'b', { nx: true })).toBeNull();
    expect(await redis.set(key('xx-missing'), 'a', { xx: true })).toBeNull();
    expect(await redis.set(key('nx'), 'c', { xx: true, get: true })).toBe('a');
    expect(await redis.get(key('nx'))).toBe('c');
    await redis.set(key('ttl'), 'v', { ex: 100 });
    await redis.set(key('ttl'), 'w', { keepTtl: true });
    expect(await redis.ttl(key('ttl'))).toBeGreaterThan(90);
    await redis.set(key('ttl'), 'x');
    expect(await redis.ttl(key('ttl'))).toBe(-1);
  });

  it('SET with EX, PX, EXAT and PXAT sets a TTL', async () => {
    const { redis, key } = h();
    await redis.set(key('ex'), 'v', { ex: 60 });
    await redis.set(key('px'), 'v', { px: 60_000 });
    const now = Number((await redis.time())[0]);
    await redis.set(key('exat'), 'v', { exat: now + 60 });
    await redis.set(key('pxat'), 'v', { pxat: (now + 60) * 1000 });
    for (const k of ['ex', 'px', 'exat', 'pxat']) {
      const pttl = await redis.pttl(key(k));
      expect(pttl).toBeGreaterThan(55_000);
      expect(pttl).toBeLessThanOrEqual(61_000);
    }
  });

  it('SET rejects a bad expiry and conflicting options with Redis error texts', async () => {
    const { redis, key, post } = h();
    await expect(redis.set(key('bad'), 'v', { ex: 0 })).rejects.toThrow("ERR invalid expire time in 'set' command");
    const res = await post('/', ['SET', key('bad'), 'v', 'nx', 'XX']);
    expect(res.status).toBe(400);
    expect(await res.json()).toEqual({ error: 'ERR syntax error' });
  });

  it('SETNX, GETDEL, MSET, MGET, APPEND and STRLEN', async () => {
    const { redis, key } = h();
    expect(await redis.setnx(key('a'), '1')).toBe(1);
    expect(await redis.setnx(key('a'), '2')).toBe(0);
    expect(await redis.mset({ [key('m1')]: 'x', [key('m2')]: 2 })).toBe('OK');
    await redis.hset(key('hash'), { f: 'v' });
    expect(await redis.mget(key('m1'), key('m2'), key('nope'), key('hash'))).toEqual(['x', 2, null, null]);
    expect(await redis.append(key('m1'), 'yz')).toBe(3);
    expect(await redis.strlen(key('m1'))).toBe(3);
    expect(await redis.strlen(key('nope'))).toBe(0);
    expect(await redis.getdel(key('m1'))).toBe('xyz');
    expect(await redis.getdel(key('m1'))).toBeNull();
  });

  it('INCR, INCRBY, DECR, DECRBY and INCRBYFLOAT, keeping the TTL', async () => {
    const { redis, key } = h();
    expect(await redis.incr(key('c'))).toBe(1);
    expect(await redis.incrby(key('c'), 10)).toBe(11);
    expect(await redis.decr(key('c'))).toBe(10);
    expect(await redis.decrby(key('c'), 4)).toBe(6);
    await redis.expire(key('c'), 100);
    await redis.incr(key('c'));
    expect(await redis.ttl(key('c'))).toBeGreaterThan(90);
    expect(await redis.incrbyfloat(key('f'), 0.1)).toBe(0.1);
    expect(await redis.incrbyfloat(key('f'), 0.2)).toBe(0.3);
    expect(await redis.incrbyfloat(key('f'), -1.3)).toBe(-1);
  });

  it('counters refuse non-integers and overflow with Redis error texts', async () => {
    const { redis, key } = h();
    await redis.set(key('s'), 'abc');
    await expect(redis.incr(key('s'))).rejects.toThrow('ERR value is not an integer or out of range');
    await expect(redis.incrbyfloat(key('s'), 1)).rejects.toThrow('ERR value is not a valid float');
    await redis.set(key('max'), '9223372036854775807');
    await expect(redis.incr(key('max'))).rejects.toThrow('ERR increment or decrement would overflow');
    await redis.lpush(key('list'), 'x');
    await expect(redis.get(key('list'))).rejects.toThrow('WRONGTYPE Operation against a key holding the wrong kind of value');
  });
});
