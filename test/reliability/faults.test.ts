/**
 * Faults: the local servers' fault knob — error rate, dropped connections, added latency and calls
 * never answered (hung until the Worker's deadline) — on Redis, Vector, QStash and the LLM, each alone
 * and all together, under a stream of ingests and hot-path reads, with QStash retrying the jobs as it
 * would.
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
 * Errors and dropped connections cost nothing to wait for, so they carry the bulk; a hung call costs
 * one deadline (2.5 s, the LLM 3 s: vitest.reliability.config.ts), so hangs are aimed with the knob's
 * `match` at a few calls, in parallel. Each test prints a `[faults]` line with what it measured.
 * The LLM answers by its rules (no script), so a job's answer does not depend on delivery order.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { call, deliver, drainQueue, qstash, redeliver, scriptLlm, unique, type Delivery } from '../worker/helpers';
import { mint } from './fuzz-kit';
import {
  audit, cleanCall, clearUpstreamLogs, drain, expectNothingLost, FaultyClient, HANG_BOUND_MS, recover, report, setFaults, setFaultsEach, STORES, tick,
  upstreamCalls, upstreamTally, type FaultSettings, type Store,
} from './fault-kit';

const BASE = Date.UTC(2025, 2, 1, 9);
const TEXTS = ['I like green tea', 'I live in Lisbon', 'I am allergic to peanuts', 'My dog is called Rex', 'I work at Acme', 'I enjoy hiking on weekends', 'I prefer window seats', 'My sister is called Ana'];
const erase: Array<{ key: string; user: string }> = [];

beforeAll(async () => {
  await setFaults(STORES, {});
  await scriptLlm([]);
  // Deliveries other files left behind would otherwise be retried inside these tests' drains.
  await drainQueue(50);
});
afterEach(async () => {
  await setFaults(STORES, {});
  // A test that failed midway leaves deliveries behind; they must not land in the next test's drains.
  await drainQueue(50);
});
afterAll(async () => {
  await setFaults(STORES, {});
  for (const { key, user } of erase) await call('DELETE', `/v1/memories?user_id=${user}`, { key });
});

async function tenantWithUsers(n: number) {
  const { key } = await mint({ rate_limit: { requests: 0 } });
  const users = Array.from({ length: n }, () => unique('u'));
  erase.push(...users.map((user) => ({ key, user })));
  return { key, users };
}

/** A small mixed workload under `faults` on `stores`; returns the audit taken after the drain. */
async function exercise(label: string, stores: Store[], faults: FaultSettings) {
  const { key, users } = await tenantWithUsers(2);
  const [a, b] = users as [string, string];
  const client = new FaultyClient(key, BASE);
  const scopes: Array<[string, string]> = [[a, 's1'], [a, 's2'], [b, 's1']];
  await clearUpstreamLogs();
  await setFaults(stores, faults);
  for (let round = 0; round < 2; round++) {
    await Promise.all(scopes.map(([u, r], i) => client.ingest(u, r, [TEXTS[(round * 3 + i) % TEXTS.length] as string, 'Noted.'])));
    await Promise.all([client.read('context', a, 's1'), client.read('search', b, 's1'), client.read('list', a, 's2')]);
  }
  await drain();
  const tally = await upstreamTally();
  await setFaults(STORES, {});
  const result = await audit(client);
  report(label, client, result, tally);
  expectNothingLost(result);
  await recover(client, scopes);
  return { result, client, tally };
}

const TARGETS: Array<[string, Store[]]> = [['redis', ['redis']], ['vector', ['vector']], ['qstash', ['qstash']], ['llm', ['llm']], ['all four', STORES]];

/** The workload under one kind of fault, on each store alone and on all four. */
function faultsOnEachStore(kind: string, faults: FaultSettings) {
  it.each(TARGETS)('on %s: clean answers, no acknowledged turn lost, every event final', async (name, stores) => {
    const { result, tally } = await exercise(`${kind} on ${name}`, stores, faults);
    // The knob did fail calls of the target store (else this proves nothing); with all four failing, the
    // LLM may be reached once or not at all, so three of the four are enough there.
    expect(stores.filter((s) => tally[s].faulted > 0).length, JSON.stringify(tally)).toBeGreaterThanOrEqual(Math.min(stores.length, 3));
    expect(result.acked_events).toBeGreaterThan(0);
  });
}

// First: the property the issue names, on a runner nothing has slowed down yet (see the end of the file).
describe('a steady stream of ingests with 20% upstream errors on all four', () => {
  it('loses no acknowledged turn; every acknowledged event ends succeeded or failed with its reason', async () => {
    const { key, users } = await tenantWithUsers(4);
    const client = new FaultyClient(key, BASE);
    await clearUpstreamLogs();
    await setFaults(STORES, { error_rate: 0.2, seed: 2026 });
    for (let t = 0; t < 6; t++) {
      await Promise.all(users.map((u, i) => client.ingest(u, `s${(t + i) % 2}`, [TEXTS[(t + i) % TEXTS.length] as string, 'Got it.'])));
      if (t % 3 === 0) await Promise.all(users.slice(0, 2).map((u) => client.read(t % 2 ? 'search' : 'context', u, 's0')));
      await tick();
    }
    await drain();
    const tally = await upstreamTally();
    await setFaults(STORES, {});
    const result = await audit(client);
    report('steady stream, 20% errors on all four', client, result, tally);
    expect(result.acked_events).toBeGreaterThan(10);
    expect(client.statuses[503] ?? 0, 'the errors reached the clients').toBeGreaterThan(0);
    expectNothingLost(result);
    await recover(client, users.flatMap((u) => [[u, 's0'], [u, 's1']] as Array<[string, string]>));
  }, 180_000);
});

// Errors here; dropped connections at the end of the file (see there).
describe.each([
  // A seed whose first draws include a fault: QStash and the LLM get only a handful of calls here.
  ['20% errors', { error_rate: 0.2, seed: 12 }],
] as Array<[string, FaultSettings]>)('%s', (kind, faults) => faultsOnEachStore(kind, faults));

describe('50 ms added latency on all four', () => {
  it('fails nothing', async () => {
    const { result, client } = await exercise('50 ms latency on all four', STORES, { delay_ms: 50 });
    expect(Object.keys(client.statuses).every((s) => s.startsWith('2')), JSON.stringify(client.statuses)).toBe(true);
    expect(result.failed).toBe(0);
    expect(result.acked_events).toBe(6);
  });
});

describe('hung calls on all four at once, aimed with `match`', () => {
  it('each costs a request one deadline (503 or degraded), nothing acknowledged is lost, every event ends final', async () => {
    const { key, users } = await tenantWithUsers(2);
    const [a, b] = users as [string, string];
    const client = new FaultyClient(key, BASE);
    const scopes: Array<[string, string]> = [[a, 's1'], [a, 's2'], [b, 's1']];
    // Jobs queued before the hangs, delivered while they last: the job path meets them too.
    await Promise.all(scopes.map(([u, r], i) => client.ingest(u, r, [TEXTS[i] as string, 'Noted.'])));
    await qstash('POST', '/_local/clock', { advance_ms: 3_000 });
    const due: Delivery[] = await qstash('POST', '/_local/qstash/pull', {});
    expect(due).toHaveLength(3);
    await clearUpstreamLogs();
    // Sessions the jobs do not cover, so no ingest moves a job's pending mark while it runs.
    const later: Array<[string, string]> = [[a, 's3'], [a, 's2'], [b, 's3']];
    // Redis hangs for session (a, s2) (its keys hold "|r.s2"), QStash and Vector for user b, the LLM on every call.
    await setFaultsEach({
      redis: { timeout_rate: 1, match: '|r.s2' },
      qstash: { timeout_rate: 1, match: b },
      vector: { timeout_rate: 1, match: b },
      llm: { timeout_rate: 1 },
    });
    const jobs = await Promise.all(due.map(async (d) => {
      const started = performance.now();
      const res = await deliver(d);
      return { status: res.status, ms: performance.now() - started, text: `${d.body} → ${res.text.slice(0, 200)}` };
    }).concat([
      ...later.map(async ([u, r], i) => ({ status: (await client.ingest(u, r, [TEXTS[3 + i] as string, 'Noted.'], 1)) ? 202 : 503, ms: 0, text: '' })),
      client.read('context', a, 's2').then((x) => ({ status: x.status, ms: 0, text: '' })),
      client.read('search', b, 's1').then((x) => ({ status: x.status, ms: 0, text: '' })),
    ]));
    const tally = await upstreamTally();
    await setFaults(STORES, {});
    for (const j of jobs.slice(0, due.length)) {
      expect(j.status, `every job met a hung call: ${j.text}`).toBe(503);
      expect(j.ms).toBeLessThan(HANG_BOUND_MS);
    }
    // Ingests, one attempt each: (a, s3) acknowledged; (a, s2) hangs in Redis, (b, s3) in QStash: refused.
    expect(jobs.slice(due.length, due.length + 3).map((j) => j.status)).toEqual([202, 503, 503]);
    await drain();
    const result = await audit(client);
    report('hung calls on all four (aimed)', client, result, tally);
    for (const s of STORES) expect(tally[s].faulted, `${s} calls hung`).toBeGreaterThan(0);
    expectNothingLost(result);
    await recover(client, [...scopes, [a, 's3'], [b, 's3']]);
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
    console.log(`[faults] ${store} hung: ${JSON.stringify(answers.map((x) => ({ status: x.status, ms: Math.round(x.ms) })))}`);
    const [ingest, context] = answers;
    expect(ingest?.status).toBe(store === 'vector' ? 202 : 503);
    if (store === 'vector') expect(context?.json.degraded).toEqual(['memories']);
  });

  it('the LLM never answering: a sync ingest and an extraction job end with 503 (retryable) within the bound', async () => {
    const { key, users } = await tenantWithUsers(1);
    const user = users[0] as string;
    const queued = await call('POST', '/v1/memories', { key, body: { user_id: user, messages: [{ role: 'user', content: 'I like tea', id: 'hang-1' }] } });
    expect(queued.status).toBe(202);
    await qstash('POST', '/_local/clock', { advance_ms: 3_000 });
    const pulled: Delivery[] = await qstash('POST', '/_local/qstash/pull', {});
    const due = pulled.filter((d) => d.body.includes(queued.json.event_id));
    for (const other of pulled.filter((d) => !due.includes(d))) await deliver(other);
    expect(due).toHaveLength(1);
    await setFaults(['llm'], { timeout_rate: 1 });
    const timed = async (run: () => Promise<{ status: number }>) => {
      const started = performance.now();
      return { status: (await run()).status, ms: performance.now() - started };
    };
    // The sync ingest (its own session, so it does not move the job's pending mark) and the job delivery
    // in parallel: one wait for both.
    const [sync, ...jobs] = await Promise.all([
      timed(() => cleanCall('sync ingest', 'POST', '/v1/memories', { key, body: { user_id: user, run_id: 'sync', mode: 'sync', messages: [{ role: 'user', content: 'I like coffee', id: 'hang-2' }] } })),
      ...due.map((d) => timed(() => deliver(d))),
    ]);
    console.log(`[faults] llm hung: ${JSON.stringify([sync, ...jobs].map((x) => ({ status: x!.status, ms: Math.round(x!.ms) })))}`);
    expect(sync?.status).toBe(503);
    for (const j of jobs) {
      expect(j.status).toBe(503);
      expect(j.ms).toBeLessThan(HANG_BOUND_MS);
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
    const seen: Record<string, Record<Store, number>> = { baseline };
    for (const faults of [{ error_rate: 1 }, { drop_rate: 1 }] as FaultSettings[]) {
      await setFaults(STORES, faults);
      await clearUpstreamLogs();
      await requests();
      const calls = await upstreamCalls();
      seen[JSON.stringify(faults)] = calls;
      for (const s of ['redis', 'vector', 'qstash'] as Store[]) expect(calls[s], `${s} under ${JSON.stringify(faults)}`).toBeLessThanOrEqual(3 * baseline[s]);
    }

    // One extraction delivery with the LLM failing: the SDK tries twice (maxRetries 1), no more.
    await setFaults(STORES, {});
    await drain();
    const queued = await call('POST', '/v1/memories', { key, body: { user_id: user, messages: [{ role: 'user', content: 'I like coffee', id: 'storm-1' }] } });
    expect(queued.status).toBe(202);
    await qstash('POST', '/_local/clock', { advance_ms: 3_000 });
    const due: Delivery[] = await qstash('POST', '/_local/qstash/pull', {});
    expect(due.length).toBeGreaterThan(0);
    for (const faults of [{ error_rate: 1 }, { drop_rate: 1 }] as FaultSettings[]) {
      await setFaults(['llm'], faults);
      await clearUpstreamLogs();
      for (const d of due) expect((await redeliver(d)).status).toBe(503);
      const llmCalls = (await upstreamCalls()).llm;
      seen[`llm per job ${JSON.stringify(faults)}`] = { llm: llmCalls / due.length } as Record<Store, number>;
      expect(llmCalls).toBeGreaterThan(0);
      expect(llmCalls).toBeLessThanOrEqual(2 * due.length);
    }
    console.log(`[faults] upstream calls, 3 requests (ingest, context, search), calm vs every call failing: ${JSON.stringify(seen)}`);
    for (const d of due) await qstash('POST', '/_local/qstash/report', { id: d.id, status: 503 });
    await setFaults(STORES, {});
    await drain();
  });
});

// Last: in this runner, tests after the dropped-connection runs get several times slower (the stream
// took ~20 s before them, over 100 s after; the cause is not known yet), so they go where they slow
// nothing down.
describe.each([
  ['20% dropped connections', { drop_rate: 0.2, seed: 13 }],
] as Array<[string, FaultSettings]>)('%s', (kind, faults) => faultsOnEachStore(kind, faults));
