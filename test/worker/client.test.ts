/**
 * The typed client (src/client) against the real Worker: its fetch is the Worker's own handler, wrapped
 * so that every answer is also checked against the OpenAPI document. One full session — mint a key, add
 * (sync and async), search, list, get, update, history, the session buffer, delete, erase, revoke — and
 * typed errors for 404, 400, 401 and an unreachable server.
 */
import { exports } from 'cloudflare:workers';
import { afterAll, beforeAll, describe, expect, expectTypeOf, it } from 'vitest';
import { type BlockRemoved, type ContextAnswer, Engram, EngramAdmin, EngramError, type Event, type Memory } from '../../src/client';
import type { deleteBlock } from '../../src/memory/blocks';
import type { getContext } from '../../src/memory/context';
import type { ApiMemory } from '../../src/memory/model';
import { drainQueue, local, op, ORIGIN, qstash, scriptLlm, unique } from './helpers';
import { checkedFetch } from './openapi-check';

const seen: string[] = [];
const fetchWorker = checkedFetch((request) => exports.default.fetch(request), seen);
const admin = new EngramAdmin({ baseUrl: `${ORIGIN}/`, adminToken: local.tokens.admin, fetch: fetchWorker });

let engram: Engram;
let keyId: string;
const user = unique('u');
beforeAll(async () => {
  await scriptLlm([]);
  const minted = await admin.mintKey(unique('t'));
  expect(minted.key).toMatch(/^egk_/);
  keyId = minted.key_id;
  engram = new Engram({ baseUrl: ORIGIN, apiKey: minted.key, fetch: fetchWorker });
});
afterAll(async () => {
  await engram.memories.deleteAll({ user_id: user }).catch(() => undefined);
  await admin.revokeKey(keyId).catch(() => undefined);
});

/** The rejection of `promise`, which must be an EngramError. */
async function failure(promise: Promise<unknown>): Promise<EngramError> {
  const err = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(EngramError);
  return err as EngramError;
}

describe('a full session through the client', () => {
  it('adds, finds, edits, traces, deletes and erases memories, every answer as documented', async () => {
    const sync = await engram.memories.add({ user_id: user, run_id: 's1', mode: 'sync', messages: [{ role: 'user', content: "I'm allergic to peanuts" }] });
    expect(sync.status).toBe('succeeded');
    const added = sync.results.find((r) => r.event === 'ADD' && /peanuts/i.test(r.memory));
    expect(added).toBeDefined();
    const id = added!.id;

    const queued = await engram.memories.add({ user_id: user, run_id: 's1', messages: [{ role: 'user', content: 'I prefer Python over JavaScript' }] });
    expect(queued).toEqual({ event_id: expect.stringMatching(/^evt_/), status: 'queued' });
    await drainQueue();
    const event = await engram.events.get(queued.event_id);
    expect(event.status).toBe('succeeded');
    expect(await engram.events.wait(queued.event_id)).toEqual(event);
    expect(typeof event.created_at).toBe('string');

    const episodes = await engram.memories.add({ user_id: user, run_id: 's1', infer: false, messages: [{ role: 'assistant', content: 'Noted.' }] });
    expect(episodes.results).toEqual([expect.objectContaining({ kind: 'episode', memory: 'Noted.', event: 'ADD' })]);

    const found = await engram.memories.search({ user_id: user, query: 'suggest a snack', kinds: ['fact', 'preference'] });
    expect(found.results.map((m) => m.id)).toContain(id);
    expect(found.results[0]!.score).toEqual(expect.any(Number));

    const page = await engram.memories.list({ user_id: user, limit: 100, include_expired: false });
    expect(page.results.map((m) => m.id)).toContain(id);
    expect(page.next_cursor).toBeNull();

    expect((await engram.memories.get(id)).memory).toMatch(/peanuts/i);
    const edited = await engram.memories.update(id, { memory: 'Allergic to peanuts and tree nuts', categories: ['health'] });
    expect(edited).toMatchObject({ id, memory: 'Allergic to peanuts and tree nuts', categories: ['health'], version: 2 });
    const { history } = await engram.memories.history(id);
    expect(history.map((h) => h.event)).toEqual(['ADD', 'UPDATE']);
    expect(history[1]).toMatchObject({ previous: expect.stringMatching(/peanuts/i), memory: 'Allergic to peanuts and tree nuts', cause: 'api' });

    const context = await engram.context({ user_id: user, run_id: 's1', query: 'suggest a snack', token_budget: 1500 });
    expect(context.memories.map((m) => m.id)).toContain(id);
    expect(context.messages.map((m) => m.content)).toContain('I prefer Python over JavaScript');
    expect(context.prompt).toMatch(/peanuts/i);

    const buffer = await engram.sessions.get('s1', { user_id: user });
    expect(buffer.messages.map((m) => m.content)).toEqual(["I'm allergic to peanuts", 'I prefer Python over JavaScript', 'Noted.']);
    expect(await engram.sessions.delete('s1', { user_id: user })).toEqual({ run_id: 's1', cleared: true });
    expect((await engram.sessions.get('s1', { user_id: user })).messages).toEqual([]);

    expect(await engram.memories.delete(id)).toEqual({ id, deleted: true });
    expect((await failure(engram.memories.get(id))).status).toBe(404);

    const erased = await engram.memories.deleteAll({ user_id: user });
    expect(erased.deleted).toBeGreaterThan(0);
    expect((await engram.memories.list({ user_id: user })).results).toEqual([]);

    for (const op of ['POST /v1/memories 200', 'POST /v1/memories 202', 'POST /v1/memories 201', 'GET /v1/memories/:id 404', 'DELETE /v1/memories 200']) expect(seen).toContain(op);
  });
});

describe('core memory blocks through the client', () => {
  it('creates, edits, shares and deletes a block, and the context call carries it', async () => {
    const holder = { user_id: user };
    const created = await engram.blocks.put('persona', holder, { value: 'Prefers short answers.', limit: 200 });
    expect(created).toMatchObject({ label: 'persona', value: 'Prefers short answers.', limit: 200, version: 1 });
    expect((await engram.blocks.append('persona', holder, 'Lives in Berlin.')).value).toBe('Prefers short answers.\nLives in Berlin.');
    expect((await engram.blocks.replace('persona', holder, 'short', 'detailed')).value).toMatch(/^Prefers detailed answers/);
    expect((await engram.blocks.attach('persona', holder, 'support-bot')).attached).toEqual(['support-bot']);
    expect((await engram.blocks.get('persona', { agent_id: 'support-bot' })).value).toMatch(/Berlin/);
    expect((await engram.blocks.detach('persona', holder, 'support-bot')).attached).toEqual([]);
    expect((await engram.blocks.list({ user_id: user })).blocks.map((b) => b.label)).toEqual(['persona']);
    expect((await engram.context({ user_id: user, query: 'where does the user live' })).prompt).toMatch(/Berlin/);

    const conflict = await failure(engram.blocks.replace('persona', holder, 'nothing like this', 'x'));
    expect(conflict).toMatchObject({ status: 409, code: 'CONFLICT', details: { reason: 'no_match' } });
    expect((await engram.blocks.history('persona', holder)).history.map((h) => h.event)).toEqual(['CREATE', 'APPEND', 'REPLACE', 'ATTACH', 'DETACH']);
    expect(await engram.blocks.delete('persona', holder)).toEqual({ label: 'persona', deleted: true });
    expect((await failure(engram.blocks.get('persona', holder))).code).toBe('NOT_FOUND');
  });
});

describe('the knowledge graph through the client', () => {
  it('lists entities and reads one with its facts now, at a past time and with history', async () => {
    const who = unique('u');
    const lives = (c: string) => ({ subject: 'user', predicate: 'lives_in', object: c, entities: [c] });
    await scriptLlm([{ content: { operations: [op({ text: 'Lives in Lisbon', ...lives('Lisbon') })], entities: [{ name: 'Lisbon', type: 'place', aliases: ['LX'] }] } }]);
    await engram.memories.add({ user_id: who, mode: 'sync', messages: [{ role: 'user', content: 'I live in Lisbon', created_at: '2020-01-01T00:00:00Z' }] });
    await scriptLlm([{ content: { operations: [op({ event: 'INVALIDATE', ref: 1, text: 'Lives in Porto', ...lives('Porto') })], entities: [{ name: 'Porto', type: 'place', aliases: [] }] } }]);
    await engram.memories.add({ user_id: who, mode: 'sync', messages: [{ role: 'user', content: 'Moved to Porto', created_at: '2023-01-01T00:00:00Z' }] });

    const page = await engram.entities.list({ user_id: who, limit: 10 });
    expect(page.entities.map((e) => e.name).sort()).toEqual(['Lisbon', 'Porto', 'user']);
    const now = await engram.entities.get('user', { user_id: who, include_history: true, depth: 2 });
    expect(now.facts.map((f) => f.object)).toEqual(['Porto']);
    expect(now.history?.map((f) => f.object)).toEqual(['Lisbon']);
    expect(now.neighbours).toEqual([expect.objectContaining({ name: 'Porto', shared: 1, facts: [expect.objectContaining({ fact: 'Lives in Porto' })] })]);
    expect((await engram.entities.get('lx', { user_id: who, as_of: '2021-06-01T00:00:00Z' })).facts.map((f) => f.fact)).toEqual(['Lives in Lisbon']);
    expect((await failure(engram.entities.get('nobody', { user_id: who }))).code).toBe('NOT_FOUND');
    const found = await engram.memories.search({ user_id: who, query: 'is Porto nice', graph: true, explain: true });
    expect(found.entities).toEqual(['Porto']);
    await engram.memories.deleteAll({ user_id: who });
  });
});

describe('admin', () => {
  it('sets the recurring job schedules', async () => {
    const { schedules } = await admin.ensureSchedules();
    try {
      expect(schedules.map((s) => s.path).sort()).toEqual(['/jobs/compact', '/jobs/expire']);
    } finally {
      // Live cron schedules would keep firing into every later drainQueue() of the run.
      for (const s of schedules) await qstash('DELETE', `/v2/schedules/${s.id}`);
    }
  });
});

describe('typed errors', () => {
  it('throws NOT_FOUND with the request id for a memory that does not exist', async () => {
    const err = await failure(engram.memories.get('mem_0123456789abcdef0123456789ab'));
    expect(err).toMatchObject({ status: 404, code: 'NOT_FOUND', request_id: expect.stringMatching(/^req_/) });
    expect(err.message).toMatch(/No memory/);
  });

  it('throws INVALID_INPUT with details for a request the schema refuses, and nothing is written', async () => {
    const err = await failure(engram.memories.search({ user_id: user, query: '' }));
    expect(err).toMatchObject({ status: 400, code: 'INVALID_INPUT' });
    expect(err.details).toEqual([expect.objectContaining({ path: 'query' })]);
    const noScope = await failure(engram.memories.add({ messages: [{ role: 'user', content: 'hello' }] }));
    expect(noScope.code).toBe('INVALID_INPUT');
    expect((await engram.sessions.get('s-none', { user_id: user })).messages).toEqual([]);
  });

  it('throws UNAUTHORIZED once the key is revoked, RATE_LIMITED over a key\'s limit, and NETWORK when nothing answers', async () => {
    const other = await admin.mintKey(unique('t'));
    const client = new Engram({ baseUrl: ORIGIN, apiKey: other.key, fetch: fetchWorker });
    expect((await client.memories.list({ user_id: user })).results).toEqual([]);
    expect(await admin.revokeKey(other.key_id)).toEqual({ key_id: other.key_id, revoked: true });
    expect(await failure(client.memories.list({ user_id: user }))).toMatchObject({ status: 401, code: 'UNAUTHORIZED' });

    const limited = await admin.mintKey(unique('t'), { rate_limit: { requests: 2, window: '60 s' } });
    expect(limited.rate_limit).toEqual({ requests: 2, window: expect.any(String) });
    const busy = new Engram({ baseUrl: ORIGIN, apiKey: limited.key, fetch: fetchWorker });
    await busy.memories.list({ user_id: user });
    await busy.memories.list({ user_id: user });
    expect(await failure(busy.memories.list({ user_id: user }))).toMatchObject({ status: 429, code: 'RATE_LIMITED' });
    await admin.revokeKey(limited.key_id);

    const unreachable = new Engram({ baseUrl: 'http://127.0.0.1:1', apiKey: other.key });
    expect(await failure(unreachable.events.get('evt_0123456789abcdef01234567'))).toMatchObject({ status: 0, code: 'NETWORK' });
  });
});

describe('client types', () => {
  it('are the domain types the Worker answers with', () => {
    expectTypeOf<Memory>().toEqualTypeOf<ApiMemory>();
    // Every answer the use case builds fits the client's type, and the two name the same fields.
    type ContextBody = Awaited<ReturnType<typeof getContext>>['body'];
    expectTypeOf<ContextBody>().toExtend<ContextAnswer>();
    expectTypeOf<keyof ContextAnswer>().toEqualTypeOf<keyof ContextBody>();
    // The client names the literal outcomes the use case returns as booleans.
    expectTypeOf<BlockRemoved>().toExtend<Awaited<ReturnType<typeof deleteBlock>>>();
    expectTypeOf<Event['status']>().toEqualTypeOf<'queued' | 'running' | 'succeeded' | 'failed'>();
  });
});
