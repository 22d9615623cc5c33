/**
 * Upstream faults, the fast slice (the full set is test/reliability/faults.test.ts): one stream of
 * ingests with 20% errors on Redis, Vector, QStash and the LLM at once, QStash delivering the jobs
 * between ingests and retrying them as it would. No hung calls here: this project runs with the
 * production deadlines (5 s / 60 s).
 *
 * What must hold (fault-kit.ts checks and counts it): every answer a 2xx or a clean 503 envelope; every
 * acknowledged turn in its session buffer, once; after the drain every acknowledged event succeeded,
 * or failed with its reason; once the faults stop, every acknowledged turn is extracted.
 */
import { afterAll, afterEach, beforeAll, expect, it } from 'vitest';
import { audit, clearUpstreamLogs, drain, expectNothingLost, FaultyClient, recover, report, setFaults, STORES, tick, upstreamTally } from '../reliability/fault-kit';
import { call, drainQueue, mintKey, scriptLlm, unique } from './helpers';

const BASE = Date.UTC(2025, 2, 1, 9);
const TEXTS = ['I like green tea', 'I live in Lisbon', 'I am allergic to peanuts', 'My dog is called Rex', 'I work at Acme', 'I prefer window seats'];
let key: string;
const users = [unique('u'), unique('u')];

beforeAll(async () => {
  ({ key } = await mintKey());
  await setFaults(STORES, {});
  // Rule mode, and nothing left in flight by earlier files.
  await scriptLlm([]);
  await drainQueue(50);
});
afterEach(() => setFaults(STORES, {}));
afterAll(async () => {
  await setFaults(STORES, {});
  await drainQueue(50);
  for (const user of users) await call('DELETE', `/v1/memories?user_id=${user}`, { key });
});

it('20% errors on all four stores: no acknowledged turn lost, every acknowledged event final with its reason', async () => {
  const client = new FaultyClient(key, BASE);
  const scopes = users.flatMap((u) => [[u, 's0'], [u, 's1']] as Array<[string, string]>);
  await clearUpstreamLogs();
  await setFaults(STORES, { error_rate: 0.2, seed: 2026 });
  for (let round = 0; round < 5; round++) {
    await Promise.all(scopes.map(([u, r], i) => client.ingest(u, r, [TEXTS[(round + i) % TEXTS.length] as string, 'Got it.'])));
    if (round % 2 === 0) await client.read('context', users[0] as string, 's0');
    await tick();
  }
  await drain();
  const tally = await upstreamTally();
  await setFaults(STORES, {});
  const result = await audit(client);
  report('slice: 20% errors on all four', client, result, tally);
  expect(client.statuses[503] ?? 0, 'the errors reached the clients').toBeGreaterThan(0);
  expect(result.acked_events).toBeGreaterThan(8);
  expectNothingLost(result);
  await recover(client, scopes);
});
