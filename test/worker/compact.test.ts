/**
 * Compaction, POST /jobs/compact: exact duplicate facts of one scope merged into the oldest.
 *
 * Duplicates are made the way they slip through in practice — an edit rewrites one fact into
 * another's text. Facts are written with the Worker's clock set back (see expiry.test.ts for why the
 * fake clock moves the Worker's), so "the oldest" is decided by created_at; jobs run at real time.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { call, deliver, drainQueue, mintKey, op, publishJob, redeliver, scriptLlm, unique, vector } from './helpers';

const HOUR = 3_600_000;

let key: string;
let tenant: string;
let user: string;
let realNow: number;

beforeEach(async () => {
  ({ key, tenant } = await mintKey());
  user = unique('u');
  await scriptLlm([]);
  // Start with no scope waiting (other tests' facts filed scopes too).
  await deliver(await publishJob('/jobs/compact'));
  await drainQueue(100);
  realNow = Date.now();
}, 60_000);

afterEach(async () => {
  vi.useRealTimers();
  await call('DELETE', `/v1/memories?user_id=${user}`, { key });
});

interface Mem {
  id: string;
  memory: string;
  kind: string;
  source_ids: string[];
  version: number;
  invalid_at?: string;
}

/** One sync ingest at Worker time `at`, the model answering `ops`; returns the results by text. */
async function learn(at: number, messageId: string, content: string, ops: Array<Record<string, unknown>>, u = user) {
  vi.useFakeTimers({ toFake: ['Date'] });
  vi.setSystemTime(at);
  await scriptLlm([{ content: { operations: ops.map((o) => op(o)) } }]);
  const res = await call('POST', '/v1/memories', { key, body: { user_id: u, mode: 'sync', messages: [{ role: 'user', content, id: messageId }] } });
  vi.useRealTimers();
  expect(res.status, JSON.stringify(res.json)).toBe(200);
  return Object.fromEntries(res.json.results.map((r: { memory: string; id: string }) => [r.memory, r.id])) as Record<string, string>;
}

const facts = async (u = user) =>
  ((await call('GET', `/v1/memories?user_id=${u}&include_invalidated=true`, { key })).json.results as Mem[]).filter((m) => m.kind !== 'episode');
const history = async (id: string) => (await call('GET', `/v1/memories/${id}/history`, { key })).json.history as Array<{ event: string; cause: string }>;
const events = async (id: string) => (await history(id)).map((r) => `${r.event}:${r.cause.startsWith('evt_') ? 'evt' : r.cause}`);
const inVector = async (ids: string[]) => (await vector('POST', `/fetch/${tenant}:u.${user}`, { ids })).result.map((r: unknown) => r !== null);
const edit = (id: string, body: Record<string, unknown>) => call('PATCH', `/v1/memories/${id}`, { key, body });

/** A scope with one duplicate pair (green tea), a current fact with an invalidated twin (coffee), and bystanders. */
async function seed() {
  const a = await learn(realNow - 5 * HOUR, 'm1', 'I drink coffee', [{ text: 'Drinks coffee' }]);
  await learn(realNow - 4 * HOUR, 'm2', 'I quit coffee', [{ event: 'INVALIDATE', ref: 1, text: 'Quit coffee' }]);
  const g = await learn(realNow - 3 * HOUR, 'm3', 'I like green tea', [{ text: 'Likes green tea' }]);
  const b = await learn(realNow - 2 * HOUR, 'm4', 'I like black tea and live in Paris', [{ text: 'Likes black tea' }, { text: 'Lives in Paris' }]);
  const n = await learn(realNow - HOUR, 'm5', 'I read at night', [{ text: 'Reads at night' }]);
  // The edits that make the duplicates: equal after normalisation (case, trailing punctuation).
  expect((await edit(b['Likes black tea']!, { memory: 'likes green tea.' })).status).toBe(200);
  expect((await edit(n['Reads at night']!, { memory: 'Drinks coffee' })).status).toBe(200);
  return { coffee: a['Drinks coffee']!, green: g['Likes green tea']!, black: b['Likes black tea']!, paris: b['Lives in Paris']!, reading: n['Reads at night']! };
}

describe('compaction', () => {
  it('merges two current duplicates into the oldest, with both source ids; leaves the rest alone', async () => {
    const ids = await seed();
    const before = Object.fromEntries((await facts()).map((m) => [m.id, m]));
    expect(before[ids.coffee]?.invalid_at).toBeDefined();

    const d = await publishJob('/jobs/compact');
    expect((await deliver(d)).status).toBe(200);
    await drainQueue(100);

    const after = await facts();
    const green = after.find((m) => m.id === ids.green)!;
    expect(green).toMatchObject({ memory: 'Likes green tea', source_ids: ['m3', 'm4'], version: 2 });
    expect(after.find((m) => m.id === ids.black)).toBeUndefined();
    expect(await inVector([ids.green, ids.black])).toEqual([true, false]);
    expect((await call('GET', `/v1/memories/${ids.black}`, { key })).status).toBe(404);
    expect(await events(ids.green)).toEqual(['ADD:evt', 'UPDATE:compaction']);
    expect(await events(ids.black)).toEqual(['ADD:evt', 'UPDATE:api', 'DELETE:compaction']);

    // Not duplicates: the invalidated coffee fact and its current twin; unrelated facts.
    for (const id of [ids.coffee, ids.reading, ids.paris]) expect(after.find((m) => m.id === id)).toEqual(before[id]);
    expect(after.map((m) => m.memory).sort()).toEqual(['Drinks coffee', 'Drinks coffee', 'Likes green tea', 'Lives in Paris', 'Quit coffee']);
  });

  it('is idempotent: a redelivery, and a rerun after the scope is touched again, change nothing more', async () => {
    const ids = await seed();
    const d = await publishJob('/jobs/compact');
    await deliver(d);
    await drainQueue(100);
    const snapshot = async () => ({ facts: await facts(), green: await history(ids.green), black: await history(ids.black) });
    const once = await snapshot();

    expect((await redeliver(d)).status).toBe(200);
    await drainQueue(100);
    expect(await snapshot()).toEqual(once);

    // A later fact write files the scope again; compacting it finds nothing left to merge.
    await edit(ids.paris, { categories: ['home'] });
    await deliver(await publishJob('/jobs/compact'));
    await drainQueue(100);
    const again = await snapshot();
    expect(again.green).toEqual(once.green);
    expect(again.black).toEqual(once.black);
    expect(again.facts.find((m) => m.id === ids.green)).toEqual(once.facts.find((m) => m.id === ids.green));
  });

  it('finishes a run cut off after its history rows, without writing them twice', async () => {
    const ids = await seed();
    const ns = `${tenant}:u.${user}`;
    const stored = (await vector('POST', `/fetch/${ns}`, { ids: [ids.green, ids.black], includeMetadata: true, includeData: true })).result;
    await deliver(await publishJob('/jobs/compact'));
    await drainQueue(100);
    const once = { facts: await facts(), green: await history(ids.green), black: await history(ids.black) };
    // What a run cut off after the ledger step leaves: its rows written, Vector not yet changed.
    await vector('POST', `/upsert-data/${ns}`, stored);
    await edit(ids.paris, { categories: ['home'] });
    await deliver(await publishJob('/jobs/compact'));
    await drainQueue(100);
    expect(await history(ids.green)).toEqual(once.green);
    expect(await history(ids.black)).toEqual(once.black);
    expect(await inVector([ids.green, ids.black])).toEqual([true, false]);
    expect((await facts()).find((m) => m.id === ids.green)).toMatchObject({ source_ids: ['m3', 'm4'], version: 2 });
  });

  it('takes a bounded number of scopes per call and continues with the rest', async () => {
    const other = unique('u');
    try {
      for (const u of [user, other]) {
        const x = await learn(realNow - 2 * HOUR, 'm1', 'I like jazz', [{ text: 'Likes jazz' }], u);
        const y = await learn(realNow - HOUR, 'm2', 'I like rock', [{ text: 'Likes rock' }], u);
        await edit(y['Likes rock']!, { memory: 'Likes Jazz' });
        expect(x['Likes jazz']).toBeDefined();
      }
      const first = await deliver(await publishJob('/jobs/compact', { max_scopes: 1 }));
      expect(first.json).toMatchObject({ scopes: 1, more: true });
      await drainQueue(100);
      for (const u of [user, other]) expect((await facts(u)).map((m) => [m.memory, m.source_ids])).toEqual([['Likes jazz', ['m1', 'm2']]]);
    } finally {
      await call('DELETE', `/v1/memories?user_id=${other}`, { key });
    }
  });

  it('refuses an unsigned delivery with 401 and merges nothing', async () => {
    const ids = await seed();
    const d = await publishJob('/jobs/compact');
    const res = await redeliver({ ...d, headers: { 'content-type': 'application/json' } });
    expect(res.status).toBe(401);
    expect(await inVector([ids.green, ids.black])).toEqual([true, true]);
    await deliver(d);
  });
});
