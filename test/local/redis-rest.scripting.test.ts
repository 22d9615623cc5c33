/**
 * Lua scripting: EVAL/EVALSHA (+ _RO), SCRIPT LOAD/EXISTS/FLUSH, the SDK's createScript NOSCRIPT
 * fallback, Redis's Lua↔reply conversions, and a rate-limit script of the kind @upstash/ratelimit runs.
 */
import { createHash } from 'node:crypto';
import { expect, it } from 'vitest';
import { describeEngines } from './redis-rest.harness.js';

const sha1 = (s: string) => createHash('sha1').update(s).digest('hex');

/**
 * A sliding-window limiter written for this test in the style of @upstash/ratelimit's: counters per
 * window under KEYS[1] (current) and KEYS[2] (previous), `now` and `window` as ARGV strings, GET,
 * INCRBY and PEXPIRE through redis.call, string arithmetic and math.floor.
 * Returns {remaining, limit}; remaining is -1 when the request is refused.
 */
const SLIDING_WINDOW = `
local limit = tonumber(ARGV[1])
local now, window = ARGV[2], ARGV[3]
local current = tonumber(redis.call('GET', KEYS[1]) or '0')
local previous = tonumber(redis.call('GET', KEYS[2]) or '0')
local elapsed = (now % window) / window
local weighted = math.floor((1 - elapsed) * previous)
if weighted + current >= limit then
  return {-1, limit}
end
local count = redis.call('INCRBY', KEYS[1], 1)
if count == 1 then
  redis.call('PEXPIRE', KEYS[1], window * 2 + 1000)
end
return {limit - (count + weighted), limit}
`;

describeEngines('scripting', (h, c) => {
  it('converts Lua values to replies as Redis does', async () => {
    const { redis } = h();
    expect(await redis.eval("return {1, 2.9, -2.9, 'a', true, false, 'after'}", [], [])).toEqual([1, 2, -2, 'a', 1, null, 'after']);
    expect(await redis.eval('return {1, nil, 3}', [], [])).toEqual([1]);
    expect(await redis.eval("return {ok = 'FINE'}", [], [])).toBe('FINE');
    expect(await redis.eval("return redis.status_reply('OK')", [], [])).toBe('OK');
    expect(await redis.eval('return nil', [], [])).toBeNull();
    expect(await redis.eval('return tostring(10 / 2)', [], [])).toBe(5);
    await expect(redis.eval("return {err = 'MYERR custom failure'}", [], [])).rejects.toThrow('MYERR custom failure');
    await expect(redis.eval("return redis.error_reply('ERR from script')", [], [])).rejects.toThrow('ERR from script');
  });

  it('passes KEYS and ARGV and converts redis.call replies to Lua', async () => {
    const { redis, key } = h();
    await redis.set(key('v'), 'hello');
    await redis.hset(key('h'), { a: '1' });
    const script = `
      local missing = redis.call('GET', KEYS[2])
      local status = redis.call('SET', KEYS[3], ARGV[1])
      local all = redis.call('HGETALL', KEYS[4])
      return {redis.call('GET', KEYS[1]), type(missing), status.ok, #all, ARGV[2]}`;
    const out = await redis.eval(script, [key('v'), key('none'), key('w'), key('h')], [42, 'x']);
    expect(out).toEqual(['hello', 'boolean', 'OK', 2, 'x']);
    expect(await redis.get(key('w'))).toBe(42);
  });

  it('prints Lua numbers passed to redis.call like Redis (%.17g, integers plain)', async () => {
    const { redis, key } = h();
    await redis.eval("redis.call('SET', KEYS[1], 10 / 4); redis.call('SET', KEYS[2], 7); return 1", [key('f'), key('i')], []);
    expect(await redis.get(key('f'))).toBe(2.5);
    expect(await redis.get(key('i'))).toBe(7);
  });

  it('raises redis.call errors with the script suffix; redis.pcall returns them as tables', async () => {
    const { redis, key } = h();
    await redis.set(key('s'), 'text');
    await expect(redis.eval("return redis.call('INCR', KEYS[1])", [key('s')], [])).rejects.toThrow(
      /ERR value is not an integer or out of range script: [0-9a-f]{40}, on @user_script:1\./,
    );
    expect(await redis.eval("local r = redis.pcall('INCR', KEYS[1]); return r.err", [key('s')], [])).toBe(
      'ERR value is not an integer or out of range',
    );
    await expect(redis.eval("return redis.call('NOSUCHCMD')", [], [])).rejects.toThrow('ERR Unknown Redis command called from script');
    await expect(redis.eval("return redis.call('GET')", [], [])).rejects.toThrow('ERR Wrong number of args calling Redis command from script');
    await expect(redis.eval('return undefined_global', [], [])).rejects.toThrow(
      "Script attempted to access nonexistent global variable 'undefined_global'",
    );
    await expect(redis.eval('x = 1', [], [])).rejects.toThrow('Attempt to modify a readonly table');
    await expect(redis.eval('return (', [], [])).rejects.toThrow('ERR Error compiling script');
  });

  it('EVALSHA finds scripts cached by EVAL and SCRIPT LOAD; an unknown sha is NOSCRIPT', async () => {
    const { redis, key } = h();
    const src = `return '${key('cached')}'`;
    await expect(redis.evalsha(sha1(src), [], [])).rejects.toThrow('NOSCRIPT No matching script. Please use EVAL.');
    expect(await redis.eval(src, [], [])).toBe(key('cached'));
    expect(await redis.evalsha(sha1(src), [], [])).toBe(key('cached'));
    const loaded = `return ARGV[1] .. '${key('loaded')}'`;
    expect(await redis.scriptLoad(loaded)).toBe(sha1(loaded));
    expect(await redis.scriptExists(sha1(loaded), sha1(`${loaded} -- never`))).toEqual([1, 0]);
    expect(await redis.evalsha(sha1(loaded), [], ['>'])).toBe(`>${key('loaded')}`);
  });

  it('createScript falls back from EVALSHA to EVAL on NOSCRIPT, then EVALSHA works', async () => {
    const { redis, key } = h();
    const script = redis.createScript<number>(`-- ${key('unique')}\nreturn redis.call('INCR', KEYS[1])`);
    expect(await redis.scriptExists(script.sha1)).toEqual([0]);
    expect(await script.exec([key('n')], [])).toBe(1);
    expect(await redis.scriptExists(script.sha1)).toEqual([1]);
    expect(await script.exec([key('n')], [])).toBe(2);
    const ro = redis.createScript<number, true>(`-- ${key('ro')}\nreturn redis.call('GET', KEYS[1])`, { readonly: true });
    expect(await ro.exec([key('n')], [])).toBe(2);
  });

  it('EVAL_RO and EVALSHA_RO read but may not write', async () => {
    const { redis, key } = h();
    await redis.set(key('r'), 'v');
    expect(await redis.evalRo("return redis.call('GET', KEYS[1])", [key('r')], [])).toBe('v');
    const write = `return redis.call('SET', KEYS[1], 'w') -- ${key('ro')}`;
    await expect(redis.evalRo(write, [key('r')], [])).rejects.toThrow('ERR Write commands are not allowed from read-only scripts.');
    const sha = await redis.scriptLoad(`return redis.call('GET', KEYS[1]) -- ${key('rosha')}`);
    expect(await redis.evalshaRo(sha, [key('r')], [])).toBe('v');
  });

  it('bundles cjson', async () => {
    const { redis } = h();
    expect(await redis.eval('return cjson.decode(ARGV[1]).name', [], ['{"name":"ada"}'])).toBe('ada');
    expect(await redis.eval("return cjson.encode({a = 'b'})", [], [])).toEqual({ a: 'b' });
  });

  it('runs a sliding-window rate-limit script like @upstash/ratelimit', async () => {
    const { redis, key } = h();
    const limiter = redis.createScript<[number, number]>(SLIDING_WINDOW);
    const window = 60_000;
    const t0 = 1_700_000_080_000; // 40 s into a window, in ms (beyond 32-bit integers on purpose)
    const at = (t: number) => limiter.exec([key(`rl:${Math.floor(t / window)}`), key(`rl:${Math.floor(t / window) - 1}`)], ['3', String(t), String(window)]);
    expect(await at(t0)).toEqual([2, 3]);
    expect(await at(t0 + 1)).toEqual([1, 3]);
    expect(await at(t0 + 2)).toEqual([0, 3]);
    expect(await at(t0 + 3)).toEqual([-1, 3]);
    // 30 s into the next window, half of the previous window's 3 requests still count: floor(1.5) = 1.
    expect(await at(t0 + 50_000)).toEqual([1, 3]);
    const pttl = await redis.pttl(key(`rl:${Math.floor(t0 / window)}`));
    expect(pttl).toBeGreaterThan(100_000);
    expect(pttl).toBeLessThanOrEqual(121_000);
  });

  it.runIf(c.kind === 'memory')('SCRIPT FLUSH empties the cache (in-memory engine only: real Redis is shared)', async () => {
    const { redis } = h();
    const sha = await redis.scriptLoad('return 1');
    expect(await redis.scriptFlush()).toBe('OK');
    expect(await redis.scriptExists(sha)).toEqual([0]);
  });

  it.runIf(c.kind === 'memory')('script keys expire on the server clock too', async () => {
    const { redis, key, advance } = h();
    await redis.eval("redis.call('SET', KEYS[1], 'v', 'PX', 1000); return 1", [key('lua-ttl')], []);
    await advance(1_001);
    expect(await redis.eval("return redis.call('GET', KEYS[1])", [key('lua-ttl')], [])).toBeNull();
  });
});
