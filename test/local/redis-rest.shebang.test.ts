/**
 * Script shebangs (`#!lua flags=…`), as Redis 7 and Upstash take them — including Upstash's own
 * `allow-key-locking`, which @upstash/ratelimit puts on every script and a stock Redis refuses — and
 * the official rate limiter itself running on the local server with either engine.
 */
import { createHash } from 'node:crypto';
import { Ratelimit } from '@upstash/ratelimit';
import { afterEach, expect, it, vi } from 'vitest';
import { describeEngines } from './redis-rest.harness.js';

const sha1 = (s: string) => createHash('sha1').update(s).digest('hex');

afterEach(() => {
  vi.useRealTimers();
});

describeEngines('script shebangs', (h) => {
  it('runs scripts with Redis and Upstash flags; EVALSHA finds them by the SHA-1 of the text sent', async () => {
    const { redis, key } = h();
    const src = `#!lua flags=allow-key-locking\n-- ${key('a')}\nreturn redis.call('INCR', KEYS[1])`;
    await expect(redis.evalsha(sha1(src), [key('n')], [])).rejects.toThrow('NOSCRIPT');
    expect(await redis.eval(src, [key('n')], [])).toBe(1);
    expect(await redis.evalsha(sha1(src), [key('n')], [])).toBe(2);
    const loaded = `#!lua flags=allow-key-locking,allow-oom\n-- ${key('b')}\nreturn redis.call('GET', KEYS[1])`;
    expect(await redis.scriptLoad(loaded)).toBe(sha1(loaded));
    expect(await redis.evalsha(sha1(loaded), [key('n')], [])).toBe(2);
    expect(await redis.eval(`#!lua\nreturn 'plain' -- ${key('c')}`, [], [])).toBe('plain');
  });

  it('refuses unknown flags, options and engines; no-writes scripts may not write', async () => {
    const { redis, key } = h();
    await expect(redis.eval(`#!lua flags=no-such-flag\nreturn 1 -- ${key('d')}`, [], [])).rejects.toThrow('Unexpected flag in script shebang: no-such-flag');
    await expect(redis.eval(`#!lua speed=fast\nreturn 1 -- ${key('e')}`, [], [])).rejects.toThrow(/shebang option/);
    await expect(redis.eval(`#!python\nreturn 1 -- ${key('f')}`, [], [])).rejects.toThrow(/engine/);
    const write = `#!lua flags=no-writes\nreturn redis.call('SET', KEYS[1], 'x') -- ${key('g')}`;
    await expect(redis.eval(write, [key('w')], [])).rejects.toThrow(/Write commands are not allowed from read-only scripts/);
    expect(await redis.get(key('w'))).toBeNull();
  });

  it('@upstash/ratelimit sliding window: allows the limit, refuses the next, resets in the next window', async () => {
    const { redis, key } = h();
    const limiter = new Ratelimit({ redis, limiter: Ratelimit.slidingWindow(3, '60 s'), prefix: key('rl'), analytics: false, ephemeralCache: false });
    // The limiter reads the client's clock (Date.now(), sent to the script as ARGV), not the server's.
    vi.useFakeTimers({ toFake: ['Date'] });
    const t0 = Math.floor(Date.now() / 60_000) * 60_000 + 1_000;
    vi.setSystemTime(t0);
    const results = [];
    for (let i = 0; i < 4; i++) results.push(await limiter.limit('caller'));
    expect(results.map((r) => r.success)).toEqual([true, true, true, false]);
    expect(results.map((r) => r.remaining)).toEqual([2, 1, 0, 0]);
    expect(results[3]!.reset).toBe(t0 - 1_000 + 60_000);
    // 59 s into the next window, the previous window's 3 requests weigh floor(3/60) = 0.
    vi.setSystemTime(t0 + 118_000);
    expect(await limiter.limit('caller')).toMatchObject({ success: true, remaining: 2 });
  });
});
