/**
 * The TTL sweep, POST /jobs/expire.
 *
 * Time: the Worker runs in this test's isolate, so `vi.useFakeTimers({ toFake: ['Date'] })` moves its
 * clock (deps.clock reads Date.now()). QStash signatures, though, are checked against the real clock
 * (a token is valid for 5 minutes from its real issue time), so jobs are always delivered at real
 * time: memories are written with the Worker's clock set back, expiring between then and now.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { call, deliver, drainQueue, mintKey, op, publishJob, qstash, redeliver, scriptLlm, unique, vector, type Delivery } from './helpers';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
const iso = (ms: number) => new Date(ms).toISOString();

let key: string;
let tenant: string;
let user: string;
let realNow: number;

/** Runs the Worker's clock at `ms` until `vi.useRealTimers()`. */
function workerClockAt(ms: number) {
  vi.useFakeTimers({ toFake: ['Date'] });
  vi.setSystemTime(ms);
}

/** One full sweep at real time, continuations included. */
async function sweep(body: Record<string, number> = {}) {
  vi.useRealTimers();
  const first = await deliver(await publishJob('/jobs/expire', body));
  return { first, rest: await drainQueue(100) };
}

beforeEach(async () => {
  ({ key, tenant } = await mintKey());
  user = unique('u');
  await scriptLlm([]);
  // Start with nothing due (deliveries and expiries other tests left behind).
  await sweep();
  realNow = Date.now();
}, 60_000);

afterEach(async () => {
  vi.useRealTimers();
  await call('DELETE', `/v1/memories?user_id=${user}`, { key });
});

const episode = (content: string, expiresAt?: number, u = user) =>
  call('POST', '/v1/memories', { key, body: { user_id: u, infer: false, messages: [{ role: 'user', content }], ...(expiresAt !== undefined && { expires_at: iso(expiresAt) }) } });
const list = async (extra = '', u = user) => (await call('GET', `/v1/memories?user_id=${u}${extra}`, { key })).json.results.map((m: { id: string }) => m.id);
const searchIds = async (query: string, extra: Record<string, unknown> = {}) =>
  (await call('POST', '/v1/memories/search', { key, body: { user_id: user, query, ...extra } })).json.results.map((m: { id: string }) => m.id);
const inVector = async (ids: string[], u = user) => (await vector('POST', `/fetch/${tenant}:u.${u}`, { ids })).result.map((r: unknown) => r !== null);
const history = async (id: string) => (await call('GET', `/v1/memories/${id}/history`, { key })).json.history as Array<{ event: string; cause: string; memory: string | null; previous: string | null; version: number }>;

describe('expiry', () => {
  it('shows an episode until its expires_at, hides it after, and the sweep deletes it with an EXPIRE row', async () => {
    workerClockAt(realNow - 2 * HOUR);
    const added = await episode('Picked up the keys from the front desk', realNow - HOUR);
    expect(added.status).toBe(201);
    const id = added.json.results[0].id;
    expect(added.json.results[0].expires_at).toBe(iso(realNow - HOUR));
    expect(await list()).toEqual([id]);
    expect(await searchIds('keys front desk')).toEqual([id]);

    vi.setSystemTime(realNow - 30 * MINUTE);
    expect(await list()).toEqual([]);
    expect(await searchIds('keys front desk')).toEqual([]);
    expect(await searchIds('keys front desk', { include_expired: true })).toEqual([id]);
    expect(await list('&include_expired=true')).toEqual([id]);
    expect(await inVector([id])).toEqual([true]);
    const hidden = await call('GET', `/v1/memories/${id}`, { key });
    expect(hidden.status).toBe(404);
    expect(hidden.json.error.message).toMatch(/expired at/);

    const { first } = await sweep();
    expect(first.status).toBe(200);
    expect(await inVector([id])).toEqual([false]);
    expect((await call('GET', `/v1/memories/${id}`, { key })).status).toBe(404);
    const rows = await history(id);
    expect(rows.map((r) => r.event)).toEqual(['ADD', 'EXPIRE']);
    expect(rows[1]).toMatchObject({ cause: 'expiry', memory: null, previous: 'Picked up the keys from the front desk', version: 2 });
  });

  it('never expires a fact; an episode without expires_at lives EPISODE_TTL_DAYS (365)', async () => {
    const t0 = realNow - 400 * DAY;
    workerClockAt(t0);
    await scriptLlm([{ content: { operations: [op({ text: 'Is allergic to peanuts', kind: 'fact', turns: [0] })] } }]);
    const res = await call('POST', '/v1/memories', { key, body: { user_id: user, mode: 'sync', messages: [{ role: 'user', content: "I'm allergic to peanuts", id: 'm1' }] } });
    expect(res.status).toBe(200);
    const all = (await call('GET', `/v1/memories?user_id=${user}`, { key })).json.results as Array<{ id: string; kind: string; expires_at?: string }>;
    const fact = all.find((m) => m.kind === 'fact')!;
    const ep = all.find((m) => m.kind === 'episode')!;
    expect(fact.expires_at).toBeUndefined();
    expect(ep.expires_at).toBe(iso(t0 + 365 * DAY));

    vi.setSystemTime(t0 + 364 * DAY);
    expect((await list()).sort()).toEqual([fact.id, ep.id].sort());
    vi.setSystemTime(t0 + 366 * DAY);
    expect(await list()).toEqual([fact.id]);
    vi.setSystemTime(realNow + 100 * 365 * DAY);
    expect(await list()).toEqual([fact.id]);

    await sweep();
    expect(await inVector([fact.id, ep.id])).toEqual([true, false]);
    expect(await list()).toEqual([fact.id]);
    expect((await history(fact.id)).map((r) => r.event)).toEqual(['ADD']);
    expect((await history(ep.id)).map((r) => r.event)).toEqual(['ADD', 'EXPIRE']);
  });

  it('expires a fact the caller gave an expires_at', async () => {
    workerClockAt(realNow - 2 * HOUR);
    await scriptLlm([{ content: { operations: [op({ text: 'Is at the airport', kind: 'fact' })] } }]);
    const res = await call('POST', '/v1/memories', { key, body: { user_id: user, mode: 'sync', messages: [{ role: 'user', content: "I'm at the airport" }] } });
    const fact = res.json.results.find((r: { event: string }) => r.event === 'ADD');
    const patched = await call('PATCH', `/v1/memories/${fact.id}`, { key, body: { expires_at: iso(realNow - HOUR) } });
    expect(patched.status).toBe(200);
    await sweep();
    expect(await inVector([fact.id])).toEqual([false]);
    expect((await history(fact.id)).map((r) => [r.event, r.cause])).toEqual([['ADD', expect.stringMatching(/^evt_/)], ['UPDATE', 'api'], ['EXPIRE', 'expiry']]);
  });

  it('keeps a memory whose expiry was pushed back after it fell due', async () => {
    workerClockAt(realNow - 2 * HOUR);
    const id = (await episode('Parked on level 3', realNow - HOUR)).json.results[0].id;
    vi.useRealTimers();
    await call('PATCH', `/v1/memories/${id}`, { key, body: { expires_at: iso(realNow + DAY) } });
    await sweep();
    expect(await inVector([id])).toEqual([true]);
    expect(await list()).toEqual([id]);
    expect((await history(id)).map((r) => r.event)).toEqual(['ADD', 'UPDATE']);
  });
});

describe('at-least-once delivery of the sweep', () => {
  it('a delivery run twice leaves the same state and one EXPIRE row per memory', async () => {
    workerClockAt(realNow - 2 * HOUR);
    const a = (await episode('First expired note', realNow - HOUR)).json.results[0].id;
    const b = (await episode('Second expired note', realNow - HOUR)).json.results[0].id;
    const kept = (await episode('A note for later', realNow + DAY)).json.results[0].id;
    vi.useRealTimers();
    const d = await publishJob('/jobs/expire');
    expect((await deliver(d)).status).toBe(200);
    await drainQueue(100);
    const snapshot = async () => ({ vector: await inVector([a, b, kept]), list: await list('&include_expired=true'), a: await history(a), b: await history(b) });
    const once = await snapshot();
    expect(once.vector).toEqual([false, false, true]);
    expect(once.a.map((r) => r.event)).toEqual(['ADD', 'EXPIRE']);

    expect((await redeliver(d)).status).toBe(200);
    await drainQueue(100);
    expect(await snapshot()).toEqual(once);
  });

  it('two deliveries running at once still write one EXPIRE row per memory', async () => {
    workerClockAt(realNow - 2 * HOUR);
    const ids: string[] = [];
    for (let i = 0; i < 3; i++) ids.push((await episode(`Raced note ${i}`, realNow - HOUR)).json.results[0].id);
    vi.useRealTimers();
    const [d1, d2] = [await publishJob('/jobs/expire'), await publishJob('/jobs/expire')];
    const statuses = await Promise.all([deliver(d1!), deliver(d2!)]);
    expect(statuses.map((r) => r.status)).toEqual([200, 200]);
    await drainQueue(100);
    expect(await inVector(ids)).toEqual([false, false, false]);
    for (const id of ids) expect((await history(id)).map((r) => r.event)).toEqual(['ADD', 'EXPIRE']);
  });

  it('finishes a sweep that was cut off after the Vector delete: the next run writes the row, once', async () => {
    workerClockAt(realNow - 2 * HOUR);
    const id = (await episode('Half-swept note', realNow - HOUR)).json.results[0].id;
    vi.useRealTimers();
    // What the cut-off run left: the record gone from Vector, its id still due, no EXPIRE row.
    await vector('POST', `/delete/${tenant}:u.${user}`, { ids: [id] });
    expect((await history(id)).map((r) => r.event)).toEqual(['ADD']);
    await sweep();
    await sweep();
    expect((await history(id)).map((r) => r.event)).toEqual(['ADD', 'EXPIRE']);
  });

  it('refuses forged, tampered, wrong-URL and unsigned deliveries with 401 and deletes nothing', async () => {
    workerClockAt(realNow - 2 * HOUR);
    const id = (await episode('Not to be deleted by a forger', realNow - HOUR)).json.results[0].id;
    vi.useRealTimers();
    const d = await publishJob('/jobs/expire');
    const other = await publishJob('/jobs/compact');
    const bad: Delivery[] = [
      { ...d, headers: { ...d.headers, 'upstash-signature': 'eyJhbGciOiJIUzI1NiJ9.e30.AAAA' } },
      { ...d, body: JSON.stringify({ max_ids: 1 }) },
      { ...other, url: d.url },
      { ...d, headers: { 'content-type': 'application/json' } },
    ];
    for (const forged of bad) {
      const res = await redeliver(forged);
      expect(res.status).toBe(401);
      expect(res.json.error.code).toBe('UNAUTHORIZED');
    }
    expect(await inVector([id])).toEqual([true]);
    expect((await history(id)).map((r) => r.event)).toEqual(['ADD']);
    await deliver(other);
    expect((await deliver(d)).status).toBe(200);
    await drainQueue(100);
    expect(await inVector([id])).toEqual([false]);
  });

  it('answers a malformed job body with 489 and no retry', async () => {
    const d = await publishJob('/jobs/expire', { max_ids: 100_000 });
    const res = await deliver(d);
    expect(res.status).toBe(489);
    expect(res.headers['upstash-nonretryable-error']).toBe('true');
  });
});

describe('bounded batches', () => {
  it('drains a backlog bigger than one call through continuation jobs, one chain per delivery', async () => {
    const other = unique('u');
    workerClockAt(realNow - 2 * HOUR);
    const mine: string[] = [];
    for (let i = 0; i < 5; i++) mine.push((await episode(`Backlog note ${i}`, realNow - HOUR - i)).json.results[0].id);
    const theirs: string[] = [];
    for (let i = 0; i < 3; i++) theirs.push((await episode(`Other backlog note ${i}`, realNow - HOUR - i, other)).json.results[0].id);
    vi.useRealTimers();
    try {
      const d = await publishJob('/jobs/expire', { max_scopes: 1, max_ids: 2 });
      const first = await deliver(d);
      expect(first.status).toBe(200);
      expect(first.json).toMatchObject({ scopes: 1, expired: 2, more: true });
      // A redelivery of the same link publishes the same continuation: deduplicated, not a second chain.
      await redeliver(d);
      await qstash('POST', '/_local/clock', { advance_ms: MINUTE });
      const next = (await qstash('POST', '/_local/qstash/pull', {})) as Delivery[];
      expect(next.filter((n) => n.url.endsWith('/jobs/expire'))).toHaveLength(1);
      expect(JSON.parse(next[0]!.body)).toEqual({ max_scopes: 1, max_ids: 2 });
      for (const n of next) await deliver(n);
      const statuses = await drainQueue(100);
      expect(statuses.length).toBeGreaterThanOrEqual(2);
      expect(statuses.every((s) => s === 200)).toBe(true);

      expect(await inVector(mine)).toEqual(mine.map(() => false));
      expect(await inVector(theirs, other)).toEqual(theirs.map(() => false));
      for (const id of [...mine, ...theirs]) expect((await history(id)).map((r) => r.event)).toEqual(['ADD', 'EXPIRE']);
    } finally {
      await call('DELETE', `/v1/memories?user_id=${other}`, { key });
    }
  });
});
