/**
 * Faults: the local servers' fault knob — error rate, added latency, timeouts (calls never answered)
 * and dropped connections — on Redis, Vector, QStash and the LLM, each alone and all together, under a
 * stream of ingests and hot-path reads, with QStash retrying the jobs as it would.
 *
 * What must hold, whatever fails (fault-kit.ts checks and counts it):
 * - every answer is a 2xx or a clean 503 UPSTREAM_UNAVAILABLE envelope, within a bound set by the
 *   upstream deadline — never a 500, never a hang;
 * - every turn acknowledged with a 2xx is in its session buffer (lost turns: 0), once;
 * - after the queue drains, every acknowledged event has succeeded, or failed with its reason, and an
 *   event merged into a later one points at one that ran;
 * - once the faults stop, the next ingest of each session covers every acknowledged turn (each one an
 *   episode memory): a failed extraction leaves its turns waiting, never dropped;
 * - a failing upstream is called a bounded number of times (no retry storms).
 * The LLM answers by its rules (no script), so a job's answer does not depend on delivery order.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { call, deliver, drainQueue, qstash, redeliver, scriptLlm, unique, type Delivery } from '../worker/helpers';
import { mint } from './fuzz-kit';
import { audit, cleanCall, clearUpstreamLogs, FaultyClient, setFaults, STORES, upstreamCalls, type Audit, type FaultSettings, type Store } from './fault-kit';

const BASE = Date.UTC(2025, 2, 1, 9);
const TEXTS = ['I like green tea', 'I live in Lisbon', 'I am allergic to peanuts', 'My dog is called Rex', 'I work at Acme', 'I enjoy hiking on weekends', 'I prefer window seats', 'My sister is called Ana'];
const erase: Array<{ key: string; user: string }> = [];

beforeAll(async () => {
  await setFaults(STORES, {});
  await scriptLlm([]);
  // Deliveries other files left behind would otherwise be retried inside these tests' drains.
  await drainQueue(50);
});
afterEach(() => setFaults(STORES, {}));
afterAll(async () => {
  await setFaults(STORES, {});
  for (const { key, user } of erase) await call('DELETE', `/v1/memories?user_id=${user}`, { key });
});

/** Delivers everything due, retries included, with whatever faults are on; answers are job outcomes. */
async function drain(): Promise<number[]> {
  const statuses = await drainQueue(40);
  for (const s of statuses) expect([200, 489, 503], `job answered ${s}`).toContain(s);
  return statuses;
}

/** What QStash does between ingests: the debounce passes, the jobs due are delivered once each. */
async function tick(): Promise<void> {
  await qstash('POST', '/_local/clock', { advance_ms: 3_000 });
  const due: Delivery[] = await qstash('POST', '/_local/qstash/pull', {});
  for (const d of due) expect([200, 489, 503]).toContain((await deliver(d)).status);
}

function expectNothingLost(a: Audit) {
  expect(a.lost_turns, 'acknowledged turns missing from their buffer').toBe(0);
  expect(a.duplicated_turns, 'turns buffered twice').toBe(0);
  expect(a.stuck, 'acknowledged events not final after the drain').toEqual([]);
  expect(a.unexplained).toEqual([]);
  expect(a.succeeded + a.failed).toBe(a.acked_events);
}

/** After the faults: one more ingest per session, drained, covers every acknowledged turn. */
async function recover(client: FaultyClient, scopes: Array<[string, string]>) {
  for (const [u, r] of scopes) expect(await client.ingest(u, r, ['thanks, that is all'])).toBe(true);
  await drain();
  const after = await audit(client);
  expect(after.unextracted, 'acknowledged turns no extraction covered').toBe(0);
  expect(after.lost_turns).toBe(0);
  return after;
}

async function tenantWithUsers(n: number) {
  const { key } = await mint({ rate_limit: { requests: 0 } });
  const users = Array.from({ length: n }, () => unique('u'));
  erase.push(...users.map((user) => ({ key, user })));
  return { key, users };
}

/** A small mixed workload under `faults` on `stores`; returns the audit taken after the drain. */
async function exercise(stores: Store[], faults: FaultSettings) {
  const { key, users } = await tenantWithUsers(2);
  const [a, b] = users as [string, string];
  const client = new FaultyClient(key, BASE);
  const scopes: Array<[string, string]> = [[a, 's1'], [a, 's2'], [b, 's1']];
  await setFaults(stores, faults);
  for (let round = 0; round < 2; round++) {
    await Promise.all(scopes.map(([u, r], i) => client.ingest(u, r, [TEXTS[(round * 3 + i) % TEXTS.length] as string, 'Noted.'])));
    await Promise.all([client.read('context', a, 's1'), client.read('search', b, 's1'), client.read('list', a, 's2')]);
  }
  await drain();
  await setFaults(STORES, {});
  const result = await audit(client);
  expectNothingLost(result);
  await recover(client, scopes);
  return { result, client };
}

const KINDS: Array<[string, FaultSettings]> = [
  ['20% errors', { error_rate: 0.2, seed: 11 }],
  ['20% dropped connections', { drop_rate: 0.2, seed: 12 }],
  ['10% timeouts', { timeout_rate: 0.1, seed: 13 }],
  ['50 ms added latency', { delay_ms: 50 }],
];
const TARGETS: Array<[string, Store[]]> = [['redis', ['redis']], ['vector', ['vector']], ['qstash', ['qstash']], ['llm', ['llm']], ['all four', STORES]];

describe.each(KINDS)('%s', (kind, faults) => {
  it.each(TARGETS)('on %s: clean answers, no acknowledged turn lost, every event final', async (_name, stores) => {
    const { result, client } = await exercise(stores, faults);
    console.log(`[faults] ${kind} on ${_name}: ${JSON.stringify({ statuses: client.statuses, abandoned: client.abandoned, slowest_ms: Math.round(client.slowestMs), ...result, stuck: result.stuck.length, unexplained: result.unexplained.length })}`);
    if (faults.delay_ms) {
      // Latency alone fails nothing.
      expect(Object.keys(client.statuses).every((s) => s.startsWith('2'))).toBe(true);
      expect(result.failed).toBe(0);
    }
  });
});

describe('a steady stream of ingests with 20% upstream errors on all four', () => {
  it('loses no acknowledged turn; every acknowledged event ends succeeded or failed with its reason', async () => {
    const { key, users } = await tenantWithUsers(4);
    const client = new FaultyClient(key, BASE);
    await setFaults(STORES, { error_rate: 0.2, seed: 2026 });
    for (let t = 0; t < 12; t++) {
      await Promise.all(users.map((u, i) => client.ingest(u, `s${(t + i) % 2}`, [TEXTS[(t + i) % TEXTS.length] as string, 'Got it.'])));
      if (t % 3 === 0) await Promise.all(users.slice(0, 2).map((u) => client.read(t % 2 ? 'search' : 'context', u, 's0')));
      await tick();
    }
    await drain();
    await setFaults(STORES, {});
    const result = await audit(client);
    console.log(`[faults] steady stream, 20% errors everywhere: ${JSON.stringify({ statuses: client.statuses, abandoned: client.abandoned, slowest_ms: Math.round(client.slowestMs), ...result })}`);
    expect(result.acked_events).toBeGreaterThan(20);
    expectNothingLost(result);
    await recover(client, users.flatMap((u) => [[u, 's0'], [u, 's1']] as Array<[string, string]>));
  });
});

describe('a hung upstream call ends at its deadline', () => {
  it.each(['redis', 'vector', 'qstash'] as Store[])('%s never answering: every route answers (503 or degraded) within the bound', async (store) => {
    const { key, users } = await tenantWithUsers(1);
    const user = users[0] as string;
    // Known to this isolate first, so reads take the one-wave path.
    expect((await call('GET', `/v1/memories?user_id=${user}`, { key })).status).toBe(200);
    await setFaults([store], { timeout_rate: 1 });
    const answers = await Promise.all([
      cleanCall('ingest', 'POST', '/v1/memories', { key, body: { user_id: user, run_id: 's1', messages: [{ role: 'user', content: 'I like tea' }] } }),
      cleanCall('context', 'POST', '/v1/context', { key, body: { user_id: user, run_id: 's1', query: 'tea' } }),
      cleanCall('search', 'POST', '/v1/memories/search', { key, body: { user_id: user, query: 'tea' } }),
      cleanCall('list', 'GET', `/v1/memories?user_id=${user}`, { key }),
    ]);
    const [ingest, context] = answers;
    expect(ingest?.status).toBe(store === 'vector' ? 202 : 503);
    if (store === 'vector') expect(context?.json.degraded).toEqual(['memories']);
  });

  it('the LLM never answering: a sync ingest and an extraction job end with 503 (retryable) within the bound', async () => {
    const { key, users } = await tenantWithUsers(1);
    const user = users[0] as string;
    const queued = await call('POST', '/v1/memories', { key, body: { user_id: user, messages: [{ role: 'user', content: 'I like tea', id: 'hang-1' }] } });
    expect(queued.status).toBe(202);
    await setFaults(['llm'], { timeout_rate: 1 });
    const sync = await cleanCall('sync ingest', 'POST', '/v1/memories', { key, body: { user_id: user, mode: 'sync', messages: [{ role: 'user', content: 'I like coffee', id: 'hang-2' }] } });
    expect(sync.status).toBe(503);
    await qstash('POST', '/_local/clock', { advance_ms: 3_000 });
    const due: Delivery[] = await qstash('POST', '/_local/qstash/pull', {});
    expect(due.length).toBeGreaterThan(0);
    for (const d of due) {
      const started = performance.now();
      const res = await deliver(d);
      expect(res.status).toBe(503);
      expect(performance.now() - started).toBeLessThan(4 * 3000);
    }
    await setFaults(STORES, {});
    await drain();
    expect((await call('GET', `/v1/events/${queued.json.event_id}`, { key })).json.status).toBe('succeeded');
  });
});

describe('no retry storms', () => {
  it('a failing upstream is called at most 3 times per call the request makes (SDK retries on network errors only), the LLM at most twice per job', async () => {
    const { key, users } = await tenantWithUsers(1);
    const user = users[0] as string;
    const requests = () =>
      Promise.all([
        cleanCall('ingest', 'POST', '/v1/memories', { key, body: { user_id: user, run_id: 's1', messages: [{ role: 'user', content: `I like tea ${Math.random()}` }] } }),
        cleanCall('context', 'POST', '/v1/context', { key, body: { user_id: user, run_id: 's1', query: 'tea' } }),
        cleanCall('search', 'POST', '/v1/memories/search', { key, body: { user_id: user, query: 'tea' } }),
      ]);
    await requests();
    await clearUpstreamLogs();
    await requests();
    const baseline = await upstreamCalls();
    for (const faults of [{ error_rate: 1 }, { drop_rate: 1 }] as FaultSettings[]) {
      await setFaults(STORES, faults);
      await clearUpstreamLogs();
      await requests();
      const calls = await upstreamCalls();
      for (const s of ['redis', 'vector', 'qstash'] as Store[]) expect(calls[s], `${s} under ${JSON.stringify(faults)}`).toBeLessThanOrEqual(3 * baseline[s]);
    }

    // One extraction delivery with the LLM failing: the SDK tries twice (maxRetries 1), no more.
    await setFaults(STORES, {});
    await drain();
    const queued = await call('POST', '/v1/memories', { key, body: { user_id: user, messages: [{ role: 'user', content: 'I like coffee', id: 'storm-1' }] } });
    expect(queued.status).toBe(202);
    await qstash('POST', '/_local/clock', { advance_ms: 3_000 });
    const due: Delivery[] = await qstash('POST', '/_local/qstash/pull', {});
    for (const faults of [{ error_rate: 1 }, { drop_rate: 1 }] as FaultSettings[]) {
      await setFaults(['llm'], faults);
      await clearUpstreamLogs();
      for (const d of due) expect((await redeliver(d)).status).toBe(503);
      expect((await upstreamCalls()).llm).toBeLessThanOrEqual(2 * due.length);
    }
    for (const d of due) await qstash('POST', '/_local/qstash/report', { id: d.id, status: 503 });
    await setFaults(STORES, {});
    await drain();
  });
});
