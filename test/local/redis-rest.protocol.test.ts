/**
 * The wire itself, checked with raw HTTP: envelopes and status codes (§1.5), base64 rules including
 * the "OK" and status-reply pitfalls (§1.6), argument decoding (§1.4), the sync token (§1.9), auth,
 * the path form, faults and the control routes.
 */
import { expect, it } from 'vitest';
import { describeEngines, TOKEN } from './redis-rest.harness.js';

const B64 = { 'upstash-encoding': 'base64' };
const b64 = (s: string) => Buffer.from(s).toString('base64');

describeEngines('wire protocol', (h, c) => {
  const send = async (path: string, body: unknown, headers: Record<string, string> = B64) => {
    const res = await h().post(path, body, headers);
    return { status: res.status, body: (await res.json()) as unknown, headers: res.headers };
  };

  it('encodes every string in base64 except a top-level OK; inside arrays OK is "T0s="', async () => {
    const k = h().key('enc');
    expect(await send('/', ['set', k, 'OK'])).toMatchObject({ status: 200, body: { result: 'OK' } });
    expect((await send('/', ['get', k])).body).toEqual({ result: 'T0s=' });
    await send('/', ['rpush', `${k}:l`, 'OK', 'bar']);
    expect((await send('/', ['lrange', `${k}:l`, 0, -1])).body).toEqual({ result: ['T0s=', 'YmFy'] });
    expect((await send('/', ['PING'])).body).toEqual({ result: b64('PONG') });
    expect((await send('/', ['ping', 'hi'])).body).toEqual({ result: b64('hi') });
    expect((await send('/', ['type', k])).body).toEqual({ result: b64('string') });
    expect((await send('/', ['incr', `${k}:n`])).body).toEqual({ result: 1 });
    await send('/', ['zadd', `${k}:z`, 1.5, 'm']);
    expect((await send('/', ['zscore', `${k}:z`, 'm'])).body).toEqual({ result: b64('1.5') });
    await send('/', ['hset', `${k}:h`, 'f', 'v']);
    expect((await send('/', ['hgetall', `${k}:h`])).body).toEqual({ result: [b64('f'), b64('v')] });
  });

  it('always sends the result key, null included, and plain UTF-8 without the encoding header', async () => {
    const k = h().key('plain');
    const missing = await h().post('/', ['get', k], B64);
    expect(await missing.text()).toBe('{"result":null}');
    await send('/', ['set', k, 'héllo']);
    expect((await send('/', ['get', k], {})).body).toEqual({ result: 'héllo' });
    expect((await send('/', ['ping'], {})).body).toEqual({ result: 'PONG' });
  });

  it('decodes JSON numbers and booleans as JS prints them, and refuses null', async () => {
    const k = h().key('args');
    for (const [value, text] of [[1.5, '1.5'], [10, '10'], [1e21, '1e+21'], [true, 'true'], [false, 'false']] as const) {
      await send('/', ['set', k, value]);
      expect((await send('/', ['get', k], {})).body).toEqual({ result: text });
    }
    const res = await send('/', ['set', k, null]);
    expect(res.status).toBe(400);
    expect(res.body).toEqual({ error: expect.stringContaining('argument 3 is null') });
  });

  it('answers a failed single command with 400 and an unencoded error', async () => {
    expect(await send('/', ['get'])).toMatchObject({ status: 400, body: { error: "ERR wrong number of arguments for 'get' command" } });
    const unknown = await send('/', ['badcmd', 'x']);
    expect(unknown.status).toBe(400);
    expect(unknown.body).toEqual({ error: "ERR unknown command 'badcmd' (not supported by the local Upstash Redis REST server)" });
    expect((await send('/', 'not json')).status).toBe(400);
    expect((await send('/', [])).status).toBe(400);
  });

  it('answers a pipeline with 200 and per-item results or errors', async () => {
    const k = h().key('pipe');
    const res = await send('/pipeline', [['set', k, 'v'], ['incr', k], ['get', k], ['nosuch']]);
    expect(res.status).toBe(200);
    expect(res.body).toEqual([
      { result: 'OK' },
      { error: 'ERR value is not an integer or out of range' },
      { result: b64('v') },
      { error: expect.stringContaining("ERR unknown command 'nosuch'") },
    ]);
  });

  it('runs /multi-exec atomically, keeps runtime errors per item, and discards with 400', async () => {
    const k = h().key('tx');
    const ok = await send('/multi-exec', [['set', k, 'a'], ['incr', k], ['append', k, 'b']]);
    expect(ok).toMatchObject({ status: 200, body: [{ result: 'OK' }, { error: 'ERR value is not an integer or out of range' }, { result: 2 }] });
    const discarded = await send('/multi-exec', [['set', `${k}:2`, 'x'], ['nosuch', 'y']]);
    expect(discarded.status).toBe(400);
    expect(discarded.body).toEqual({ error: expect.stringMatching(/^EXECABORT .*unknown command 'nosuch'/) });
    expect((await send('/', ['exists', `${k}:2`])).body).toEqual({ result: 0 });
    const arity = await send('/multi-exec', [['set', `${k}:3`, 'x'], ['get']]);
    expect(arity.body).toEqual({ error: expect.stringContaining("wrong number of arguments for 'get'") });
  });

  it('sends a new upstash-sync-token on every answer', async () => {
    const tokens = new Set<string | null>();
    for (let i = 0; i < 3; i++) tokens.add((await send('/', ['ping'])).headers.get('upstash-sync-token'));
    tokens.add((await send('/', ['get'])).headers.get('upstash-sync-token'));
    expect(tokens.size).toBe(4);
    expect(tokens.has(null)).toBe(false);
  });

  it('refuses a bad token with 401 {"error":"Unauthorized"} and accepts ?_token=', async () => {
    const url = h().server.url;
    const bad = await fetch(url, { method: 'POST', headers: { authorization: 'Bearer nope' }, body: '["ping"]' });
    expect(bad.status).toBe(401);
    expect(await bad.json()).toEqual({ error: 'Unauthorized' });
    const viaQuery = await fetch(`${url}/?_token=${TOKEN}`, { method: 'POST', body: '["ping"]' });
    expect(await viaQuery.json()).toEqual({ result: 'PONG' });
  });

  it('supports the path form, refuses other methods with 405 and subscribe as unsupported', async () => {
    const { server, key } = h();
    const auth = { authorization: `Bearer ${TOKEN}` };
    const k = encodeURIComponent(key('path'));
    expect(await (await fetch(`${server.url}/set/${k}/v1?EX=100`, { headers: auth })).json()).toEqual({ result: 'OK' });
    expect(await (await fetch(`${server.url}/ttl/${k}`, { headers: auth })).json()).toEqual({ result: 100 });
    await fetch(`${server.url}/set/${k}`, { method: 'POST', headers: auth, body: 'from body' });
    expect(await (await fetch(`${server.url}/get/${k}`, { headers: auth })).json()).toEqual({ result: 'from body' });
    expect((await fetch(server.url, { method: 'DELETE', headers: auth })).status).toBe(405);
    const sub = await fetch(`${server.url}/subscribe/chan`, { method: 'POST', headers: auth, body: '[]' });
    expect(sub.status).toBe(400);
    expect(((await sub.json()) as { error: string }).error).toMatch(/not supported by the local/);
  });

  it('answers with 503 while the fault knob injects errors', async () => {
    await send('/_local/faults', { error_rate: 1 });
    try {
      expect(await send('/', ['ping'])).toMatchObject({ status: 503, body: { error: 'ERR local fault injected' } });
    } finally {
      await send('/_local/faults', { error_rate: 0 });
    }
  });

  it('reports its engine and key count; reset flushes only the in-memory engine', async () => {
    const { server, key } = h();
    await send('/', ['set', key('state'), 'v']);
    const state = (await (await fetch(`${server.url}/_local/state`, { headers: { authorization: `Bearer ${TOKEN}` } })).json()) as {
      engine: string;
      keys: number;
    };
    expect(state.engine).toBe(c.kind);
    expect(state.keys).toBeGreaterThan(0);
    const reset = (await send('/_local/reset', {})).body as { ok: boolean; flushed: boolean };
    expect(reset).toMatchObject({ ok: true, flushed: c.kind === 'memory' });
    expect((await send('/', ['exists', key('state')])).body).toEqual({ result: c.kind === 'memory' ? 0 : 1 });
  });
});
