/**
 * Rate limits per API key: a sliding window counted in Redis by @upstash/ratelimit, in the same
 * upstream wave as the key lookup.
 *
 * Time: the limiter reads the Worker's clock (Date.now(), sent to its Lua script), not Redis's, and the
 * Worker runs in this test's isolate — so `vi.setSystemTime` moves its windows. No sleeps. Low limits
 * come from keys minted with their own `rate_limit`, so the generous default (600 per 60 s) keeps
 * serving every other test.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { call, local, mintKey, redis, unique, vector, waves } from './helpers';

const WINDOW = 60_000;

async function mint(body: unknown, tenant = unique('t')) {
  const res = await call('POST', `/v1/admin/tenants/${tenant}/keys`, { key: local.tokens.admin, body });
  expect(res.status, JSON.stringify(res.json)).toBe(201);
  return res.json as { key: string; key_id: string; tenant: string; rate_limit?: { requests: number; window: string } };
}

/** Runs the Worker's clock at `ms` until `vi.useRealTimers()`. */
function workerClockAt(ms: number) {
  vi.useFakeTimers({ toFake: ['Date'] });
  vi.setSystemTime(ms);
}

afterEach(async () => {
  vi.useRealTimers();
  for (const server of [redis, vector]) await server('POST', '/_local/faults', { delay_ms: 0, error_rate: 0, match: '' });
});

const note = (key: string, user: string, content: string) =>
  call('POST', '/v1/memories', { key, body: { user_id: user, infer: false, messages: [{ role: 'user', content }] } });

describe('rate limits per API key', () => {
  it('allows the limit, then answers 429 RATE_LIMITED with Retry-After, writes nothing, and resets in the next window', async () => {
    const limited = await mint({ rate_limit: { requests: 3, window: '60 s' } });
    expect(limited.rate_limit).toEqual({ requests: 3, window: '1 m' });
    const other = await mintKey(limited.tenant); // same tenant, its own key and its own count
    const user = unique('u');
    const t0 = Math.floor(Date.now() / WINDOW) * WINDOW + 1_000; // 1 s into a window
    workerClockAt(t0);

    const ok = [];
    for (let i = 0; i < 3; i++) ok.push(await note(limited.key, user, `note ${i}`));
    expect(ok.map((r) => r.status)).toEqual([201, 201, 201]);
    expect(ok.map((r) => r.headers.get('x-ratelimit-remaining'))).toEqual(['2', '1', '0']);
    expect(ok[0]!.headers.get('x-ratelimit-limit')).toBe('3');
    expect(ok[0]!.headers.get('x-ratelimit-reset')).toBe(String((t0 - 1_000 + WINDOW) / 1000));

    const refused = await note(limited.key, user, 'one too many');
    expect(refused.status).toBe(429);
    expect(refused.json.error).toMatchObject({ code: 'RATE_LIMITED', details: { limit: 3, remaining: 0, retry_after_seconds: 59 } });
    expect(refused.headers.get('retry-after')).toBe('59');
    expect(refused.headers.get('x-ratelimit-remaining')).toBe('0');
    // Reads are refused too (they run alongside the count and their answer is replaced).
    expect((await call('GET', `/v1/memories?user_id=${user}`, { key: limited.key })).status).toBe(429);
    // The refused write left nothing; the tenant's other key is not limited by this key's count.
    const listed = await call('GET', `/v1/memories?user_id=${user}`, { key: other.key });
    expect(listed.status).toBe(200);
    expect(listed.json.results.map((m: { memory: string }) => m.memory).sort()).toEqual(['note 0', 'note 1', 'note 2']);

    // 1 s into the next window the previous one still weighs floor(3 × 59/60) = 2: one request fits.
    vi.setSystemTime(t0 + WINDOW);
    expect((await note(limited.key, user, 'sliding')).status).toBe(201);
    expect((await note(limited.key, user, 'still too many')).status).toBe(429);
    // Late in the window after, the old requests no longer count.
    vi.setSystemTime(t0 + 2 * WINDOW + 57_000);
    expect((await note(limited.key, user, 'fresh window')).headers.get('x-ratelimit-remaining')).toBe('2');
    await call('DELETE', `/v1/memories?user_id=${user}`, { key: other.key });
  });

  it('applies the configured default (600 per 60 s) to a key without its own limit; requests: 0 exempts a key', async () => {
    const { key } = await mintKey();
    const res = await call('GET', `/v1/memories?user_id=${unique('u')}`, { key });
    expect(res.status).toBe(200);
    expect(res.headers.get('x-ratelimit-limit')).toBe('600');
    expect(Number(res.headers.get('x-ratelimit-remaining'))).toBe(599);
    const exempt = await mint({ rate_limit: { requests: 0 } });
    const free = await call('GET', `/v1/memories?user_id=${unique('u')}`, { key: exempt.key });
    expect(free.status).toBe(200);
    expect(free.headers.get('x-ratelimit-limit')).toBeNull();
  });

  it('lets requests through when the limiter cannot answer (the key check still applies)', async () => {
    const limited = await mint({ rate_limit: { requests: 1, window: '1 h' } });
    await redis('POST', '/_local/faults', { error_rate: 1, match: 'evalsha' });
    for (let i = 0; i < 3; i++) {
      const res = await call('GET', `/v1/memories?user_id=${unique('u')}`, { key: limited.key });
      expect(res.status).toBe(200);
      expect(res.headers.get('x-ratelimit-limit')).toBeNull();
    }
    expect((await call('GET', '/v1/memories?user_id=x', { key: 'egk_not_a_key' })).status).toBe(401);
  });

  it('limits /mcp with the same count as /v1', async () => {
    const limited = await mint({ rate_limit: { requests: 1, window: '1 h' } });
    const ping = { jsonrpc: '2.0', id: 1, method: 'ping' };
    expect((await call('POST', '/mcp', { key: limited.key, body: ping })).status).toBe(200);
    const res = await call('GET', `/v1/memories?user_id=${unique('u')}`, { key: limited.key });
    expect(res.status).toBe(429);
    expect(Number(res.headers.get('retry-after'))).toBeGreaterThan(0);
  });

  it('refuses a malformed rate_limit at mint time with 400 and mints nothing', async () => {
    for (const body of [{ rate_limit: { requests: -1 } }, { rate_limit: { requests: 5, window: 'soon' } }, { rate_limit: { requests: 5, window: '500 ms' } }, { rate_limit: 5 }, { extra: true }]) {
      const res = await call('POST', `/v1/admin/tenants/${unique('t')}/keys`, { key: local.tokens.admin, body });
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.json.error.code).toBe('INVALID_INPUT');
    }
  });
});

/** Upstream calls and sequential waves of one request (a 25 ms delay per call keeps stages apart). */
async function measure(send: () => Promise<{ status: number }>) {
  for (const server of [redis, vector]) {
    await server('POST', '/_local/faults', { delay_ms: 25 });
    await server('DELETE', '/_local/log');
  }
  const res = await send();
  expect(res.status).toBeLessThan(300);
  const r: Array<{ started_at: number; ended_at: number; excerpt: string }> = await redis('GET', '/_local/log');
  const v: Array<{ started_at: number; ended_at: number }> = await vector('GET', '/_local/log');
  for (const server of [redis, vector]) await server('POST', '/_local/faults', { delay_ms: 0 });
  return { redisCalls: r.length, vectorCalls: v.length, waves: waves([...r, ...v]), scripts: r.filter((c) => /evalsha/i.test(c.excerpt)).length };
}

describe('the limit adds no sequential round trip', () => {
  it('counts in the same wave as the key lookup: first request of a key, a write, and a hot-path read', async () => {
    const user = unique('u');
    const exempt = await mint({ rate_limit: { requests: 0 } });
    const limited = await mintKey(exempt.tenant);
    const context = (key: string) => () => call('POST', '/v1/context', { key, body: { user_id: user, query: 'snack' } });
    const write = (key: string) => () => note(key, user, `a note ${unique('n')}`);
    // The first script call on a Redis that has not cached the limiter's script adds an EVAL, once per Redis.
    await call('GET', `/v1/memories?user_id=${user}`, { key: (await mintKey()).key });

    const firstExempt = await measure(context(exempt.key));
    const firstLimited = await measure(context(limited.key));
    const readExempt = await measure(context(exempt.key));
    const readLimited = await measure(context(limited.key));
    const writeExempt = await measure(write(exempt.key));
    const writeLimited = await measure(write(limited.key));

    // The exempt key is counted once, under the default, on its first request (its policy is not known yet).
    expect(readExempt.scripts + writeExempt.scripts).toBe(0);
    expect([firstLimited.scripts, readLimited.scripts, writeLimited.scripts]).toEqual([1, 1, 1]);
    expect(readLimited.waves).toBe(1);
    expect(readLimited.waves).toBe(readExempt.waves);
    expect(writeLimited.waves).toBe(writeExempt.waves);
    expect(firstLimited.waves).toBe(firstExempt.waves);
    console.info('rate-limit round trips', JSON.stringify({ firstExempt, firstLimited, readExempt, readLimited, writeExempt, writeLimited }));
    await call('DELETE', `/v1/memories?user_id=${user}`, { key: limited.key });
  });
});
