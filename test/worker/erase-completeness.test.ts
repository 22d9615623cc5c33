/**
 * Erase completeness, DELETE /v1/memories?user_id=…: after it, no store holds anything of the user.
 *
 * A user is given everything a user can have — turns in a session (async and sync extraction), facts
 * and a preference (scripted model), a fact superseded, one edited and one deleted, direct episodes
 * with an expiry (one still current, one expired and swept), a block of its own with history, shared
 * with an agent, and events — and so is a second user of the same tenant. Then the first is erased and
 * every store is scanned whole (store-scan.ts: every Redis key's name and value, every vector
 * namespace and record) for the user id and its memory and event ids. The scan lists no key families,
 * so families added later are covered too. The second user's full dump must not change.
 *
 * Time: writes that must be in the past run with the Worker's clock set back (vi fake Date, as in
 * expiry.test.ts); QStash deliveries run at real time, since their signatures are checked against it.
 */
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { call, deliver, drainQueue, mintKey, op, publishJob, qstash, scriptLlm, unique, type Delivery } from './helpers';
import { dumpScope, type DumpTarget } from './scope-dump';
import { scanRedis, scanVector, vectorNamespaces } from './store-scan';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const iso = (ms: number) => new Date(ms).toISOString();

let key: string;
let tenant: string;

beforeAll(async () => {
  ({ key, tenant } = await mintKey());
  await scriptLlm([]);
});

afterEach(() => {
  vi.useRealTimers();
});

interface Lived {
  user: string;
  agent: string;
  events: string[];
  target: DumpTarget;
}

const ok = async (method: string, path: string, body?: unknown, status = 200) => {
  const res = await call(method, path, { key, body });
  expect(res.status, `${method} ${path}: ${JSON.stringify(res.json)}`).toBe(status);
  return res.json;
};

/** Everything a user can have, in one tenant. */
async function liveALife(user: string): Promise<Lived> {
  const agent = unique('a');
  const events: string[] = [];
  const realNow = Date.now();

  // Two direct episodes written two hours ago: one expired an hour ago (swept below), one expires in 30 days.
  vi.useFakeTimers({ toFake: ['Date'] });
  vi.setSystemTime(realNow - 2 * HOUR);
  const expiring = await ok('POST', '/v1/memories', { user_id: user, run_id: 'r1', infer: false, expires_at: iso(realNow - HOUR), messages: [{ role: 'user', content: 'Dropped the car at the garage' }] }, 201);
  await ok('POST', '/v1/memories', { user_id: user, run_id: 'r1', infer: false, expires_at: iso(realNow + 30 * DAY), messages: [{ role: 'user', content: 'Booked a table for Friday' }] }, 201);
  vi.useRealTimers();

  // Async extraction through QStash: two facts and a preference.
  await scriptLlm([{ content: { operations: [
    op({ text: 'Works at Google', subject: 'user', predicate: 'works_at', object: 'Google', entities: ['Google'] }),
    op({ text: 'Has a dog named Rex', entities: ['Rex'] }),
    op({ text: 'Likes green tea', kind: 'preference' }),
  ] } }]);
  const queued = await ok('POST', '/v1/memories', { user_id: user, run_id: 'r1', messages: [{ role: 'user', content: 'I work at Google, my dog Rex loves walks, and I drink green tea.' }] }, 202);
  events.push(queued.event_id);
  await drainQueue();
  expect((await ok('GET', `/v1/events/${queued.event_id}`)).status).toBe('succeeded');

  // Sync extraction in a second session: the Google fact superseded.
  await scriptLlm([{ content: { operations: [op({ event: 'INVALIDATE', ref: 1, text: 'Works at Anthropic', subject: 'user', predicate: 'works_at', object: 'Anthropic', entities: ['Anthropic'] })] } }]);
  const sync = await ok('POST', '/v1/memories', { user_id: user, run_id: 'r2', mode: 'sync', messages: [{ role: 'user', content: 'I just started at Anthropic' }] });
  events.push(sync.event_id);
  expect(sync.results.map((r: { event: string }) => r.event).sort()).toEqual(['ADD', 'INVALIDATE']);

  // One memory edited, one deleted.
  const listed = (await ok('GET', `/v1/memories?user_id=${user}`)).results as Array<{ id: string; memory: string }>;
  const byText = (t: string) => listed.find((m) => m.memory === t)!.id;
  await ok('PATCH', `/v1/memories/${byText('Likes green tea')}`, { memory: 'Likes jasmine tea' });
  await ok('DELETE', `/v1/memories/${byText('Has a dog named Rex')}`);

  // A block of the user's own (edited, so it has history), shared with an agent; the agent's own block.
  await ok('PUT', `/v1/blocks/human?user_id=${user}`, { value: 'Name: Sam' }, 201);
  await ok('POST', `/v1/blocks/human/append?user_id=${user}`, { text: 'Lives in Lisbon' });
  await ok('POST', `/v1/blocks/human/attach?user_id=${user}`, { agent_id: agent });
  await ok('PUT', `/v1/blocks/persona?agent_id=${agent}`, { value: 'A patient assistant' }, 201);

  // The expiry sweep settles the expired episode (EXPIRE row; its history stays readable).
  await deliver(await publishJob('/jobs/expire'));
  await drainQueue();

  const target = { key, user_id: user, event_ids: events, run_ids: ['r1', 'r2'], memory_ids: [expiring.results[0].id as string] };
  const memory_ids = Object.keys((await dumpScope(target)).history);
  return { user, agent, events, target: { ...target, memory_ids } };
}

describe('erase completeness', () => {
  it('leaves nothing of the erased user in Redis, Vector or the API, and nothing of a second user changes', async () => {
    const victim = await liveALife(unique('u'));
    const bystander = await liveALife(unique('u'));
    const victimDump = await dumpScope(victim.target);
    // The life really happened: every kind of state is there to erase.
    expect(victimDump.memories.map((m) => m.kind).sort()).toEqual(['episode', 'episode', 'episode', 'fact', 'fact', 'preference']);
    // Eight memories have lived (an episode per extracted turn too): the deleted one's history is gone
    // with it, the expired one's stays.
    expect(Object.values(victimDump.history).map((h) => h.status).sort()).toEqual([200, 200, 200, 200, 200, 200, 200, 404]);
    expect(JSON.stringify(victimDump.history)).toMatch(/"EXPIRE"/);
    expect(victimDump.blocks.map((b) => b.label)).toEqual(['human']);
    expect(victimDump.sessions.map((s) => (s.body as { messages: unknown[] }).messages.length)).toEqual([3, 1]);
    // The scan sees the user before the erase (so an empty scan after it means something).
    const needles = [victim.user, ...victim.target.memory_ids!, ...victim.events];
    const before = await scanRedis(needles);
    expect(before.leftovers.length).toBeGreaterThan(10);
    expect((await scanVector(needles)).leftovers.length).toBeGreaterThan(0);
    const bystanderBefore = await dumpScope(bystander.target);

    const erased = await call('DELETE', `/v1/memories?user_id=${victim.user}`, { key });
    expect(erased.status).toBe(200);
    expect(erased.json.deleted).toBe(victimDump.memories.length);

    const redisScan = await scanRedis(needles);
    const vectorScan = await scanVector(needles);
    console.log(`erase scan: ${redisScan.keys} Redis keys, ${vectorScan.namespaces} namespaces, ${vectorScan.records} vector records searched`);
    expect(redisScan.leftovers).toEqual([]);
    expect(vectorScan.leftovers).toEqual([]);
    expect(await vectorNamespaces()).not.toContain(`${tenant}:u.${victim.user}`);
    expect(await vectorNamespaces()).toContain(`${tenant}:u.${bystander.user}`);

    // Through the API: nothing left either.
    for (const id of victim.events) expect((await call('GET', `/v1/events/${id}`, { key })).status).toBe(404);
    for (const id of victim.target.memory_ids!) expect((await call('GET', `/v1/memories/${id}/history`, { key })).status).toBe(404);
    expect((await ok('GET', `/v1/memories?user_id=${victim.user}&include_invalidated=true&include_expired=true`)).results).toEqual([]);
    expect((await ok('GET', `/v1/blocks?agent_id=${victim.agent}`)).blocks.map((b: { label: string }) => b.label)).toEqual(['persona']);
    expect((await call('GET', `/v1/blocks/human?user_id=${victim.user}`, { key })).status).toBe(404);
    for (const run of ['r1', 'r2']) expect((await ok('GET', `/v1/sessions/${run}/messages?user_id=${victim.user}`)).messages).toEqual([]);

    // The second user of the tenant keeps everything, to the byte.
    expect(await dumpScope(bystander.target)).toEqual(bystanderBefore);
    expect((await scanRedis([bystander.user])).leftovers.length).toBe(before.leftovers.length);
  });

  it('a job delivered after the erase writes nothing back', async () => {
    const user = unique('u');
    await scriptLlm([{ content: { operations: [op({ text: 'Plays the cello' })] } }]);
    const queued = await ok('POST', '/v1/memories', { user_id: user, run_id: 'r1', messages: [{ role: 'user', content: 'I play the cello' }] }, 202);
    expect((await call('DELETE', `/v1/memories?user_id=${user}`, { key })).status).toBe(200);
    // The extraction job was already queued: QStash delivers it after the erase.
    const statuses = await drainQueue();
    expect(statuses.length).toBeGreaterThan(0);

    const needles = [user, queued.event_id];
    expect((await scanRedis(needles)).leftovers).toEqual([]);
    expect((await scanVector(needles)).leftovers).toEqual([]);
    expect((await call('GET', `/v1/events/${queued.event_id}`, { key })).status).toBe(404);
  });

  it('a follow-up batch delivered after the erase writes nothing back', async () => {
    const user = unique('u');
    await scriptLlm([]);
    const turns = (n: number, from: number) => Array.from({ length: n }, (_, i) => ({ role: 'user', content: `Note number ${from + i}` }));
    const first = await ok('POST', '/v1/memories', { user_id: user, run_id: 'r1', messages: turns(100, 0) }, 202);
    const second = await ok('POST', '/v1/memories', { user_id: user, run_id: 'r1', messages: turns(1, 100) }, 202);
    // One batch of 100 turns runs; the 101st is left to a follow-up job, queued when the erase comes.
    await qstash('POST', '/_local/clock', { advance_ms: 60_000 });
    for (const d of (await qstash('POST', '/_local/qstash/pull', {})) as Delivery[]) expect((await deliver(d)).status).toBe(200);
    const followUp = `${second.event_id}-next`;
    expect((await qstash('GET', '/_local/qstash/messages')).some((m: { body: string; state: string }) => m.body.includes(followUp) && m.state === 'pending')).toBe(true);
    expect((await call('DELETE', `/v1/memories?user_id=${user}`, { key })).status).toBe(200);
    await drainQueue();

    const needles = [user, first.event_id, second.event_id];
    expect((await scanRedis(needles)).leftovers).toEqual([]);
    expect((await scanVector(needles)).leftovers).toEqual([]);
    expect((await call('GET', `/v1/events/${followUp}`, { key })).status).toBe(404);
  });
});
