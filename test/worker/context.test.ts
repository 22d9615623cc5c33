/**
 * POST /v1/context: recent turns + relevant current memories + blocks in one parallel wave, fitted to
 * a token budget, with degraded answers when one side fails.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { call, clearLlmCalls, llmCalls, local, mintKey, redis, scriptLlm, unique, vector, waves } from './helpers';

let key: string;
let user: string;
beforeEach(async () => {
  ({ key } = await mintKey());
  user = unique('u');
  await scriptLlm([]);
});
afterEach(async () => {
  for (const server of [redis, vector]) await server('POST', '/_local/faults', { error_rate: 0, delay_ms: 0, match: '' });
});

const ingest = (body: Record<string, unknown>) => call('POST', '/v1/memories', { key, body: { user_id: user, ...body } });
const context = (body: Record<string, unknown>) => call('POST', '/v1/context', { key, body: { user_id: user, ...body } });
const say = (content: string, role = 'user') => ({ role, content });

/** An allergy learned in an old session (sync extraction, rule-based local LLM), a fresh session with two turns. */
async function story() {
  const first = await ingest({ run_id: 'old', messages: [say("I'm allergic to peanuts")], mode: 'sync' });
  expect(first.status).toBe(200);
  const now = await ingest({ run_id: 'now', infer: false, messages: [say('Hi again!'), say('Hello! How can I help?', 'assistant'), say('Suggest a snack for me')] });
  expect(now.status).toBe(201);
}

describe('POST /v1/context', () => {
  it('returns the session turns, the relevant facts and a prompt listing them', async () => {
    await story();
    await clearLlmCalls();
    const res = await context({ run_id: 'now', query: 'Suggest a snack for me' });
    expect(res.status).toBe(200);
    expect(res.json.messages.map((m: { content: string }) => m.content)).toEqual(['Hi again!', 'Hello! How can I help?', 'Suggest a snack for me']);
    const texts = res.json.memories.map((m: { memory: string }) => m.memory);
    expect(texts).toContainEqual(expect.stringMatching(/allergic to peanuts/i));
    // Turns already in the buffer are not repeated as memories.
    expect(texts).not.toContain('Suggest a snack for me');
    expect(res.json.prompt).toMatch(/## Known facts \(valid from\)\n- \d{4}-\d{2}-\d{2}: .*allergic to peanuts/i);
    expect(res.json.usage.total).toBeLessThanOrEqual(res.json.usage.budget);
    expect(res.json.degraded).toBeUndefined();
    expect(await llmCalls()).toHaveLength(0);
  });

  it('searches with the last user turn when no query is given', async () => {
    await story();
    const res = await context({ run_id: 'now' });
    expect(res.status).toBe(200);
    expect(res.json.memories.map((m: { memory: string }) => m.memory)).toContainEqual(expect.stringMatching(/allergic to peanuts/i));
  });

  it('fits a small budget: keeps the newest turns and stays within it', async () => {
    const messages = Array.from({ length: 12 }, (_, i) => say(`message number ${i} about the weather and the garden`));
    await ingest({ run_id: 's', infer: false, messages });
    const res = await context({ run_id: 's', query: 'garden', token_budget: 60, top_k: 0 });
    expect(res.status).toBe(200);
    expect(res.json.usage.total).toBeLessThanOrEqual(60);
    const got = res.json.messages.map((m: { content: string }) => m.content);
    expect(got.length).toBeGreaterThan(0);
    expect(got.length).toBeLessThan(12);
    expect(got.at(-1)).toBe('message number 11 about the weather and the garden');
    expect(res.json.usage.dropped.messages).toBe(12 - got.length);
  });

  it('hides invalidated and expired memories, and other users', async () => {
    await story();
    const other = await call('POST', '/v1/context', { key, body: { user_id: unique('u'), query: 'peanuts' } });
    expect(other.status).toBe(200);
    expect(other.json.memories).toEqual([]);
    const { key: otherTenant } = await mintKey();
    const leak = await call('POST', '/v1/context', { key: otherTenant, body: { user_id: user, query: 'peanuts' } });
    expect(leak.json.memories).toEqual([]);
    expect(leak.json.messages).toEqual([]);
  });

  it('answers with the turns and degraded: ["memories"] when Vector fails', async () => {
    await story();
    await vector('POST', '/_local/faults', { error_rate: 1, match: '' });
    const res = await context({ run_id: 'now', query: 'snack' });
    expect(res.status).toBe(200);
    expect(res.json.degraded).toEqual(['memories']);
    expect(res.json.messages).toHaveLength(3);
    expect(res.json.memories).toEqual([]);
  });

  it('answers with the memories and degraded messages when the Redis read fails', async () => {
    await story();
    await redis('POST', '/_local/faults', { error_rate: 1, match: 'lrange' });
    const res = await context({ run_id: 'now', query: 'Suggest a snack for me' });
    expect(res.status).toBe(200);
    expect(res.json.degraded).toEqual(expect.arrayContaining(['messages']));
    expect(res.json.messages).toEqual([]);
    expect(res.json.memories.map((m: { memory: string }) => m.memory)).toContainEqual(expect.stringMatching(/allergic to peanuts/i));
  });

  it('is a 503 in the envelope when both sides fail', async () => {
    await story();
    await vector('POST', '/_local/faults', { error_rate: 1, match: '' });
    await redis('POST', '/_local/faults', { error_rate: 1, match: 'lrange' });
    const res = await context({ run_id: 'now', query: 'snack' });
    expect(res.status).toBe(503);
    expect(res.json.error.code).toBe('UPSTREAM_UNAVAILABLE');
  });

  it('rejects bad input with 400 and needs a key', async () => {
    expect((await call('POST', '/v1/context', { body: { user_id: user } })).status).toBe(401);
    for (const body of [{}, { user_id: user, token_budget: 0 }, { user_id: user, top_k: 'x' }, { user_id: 'bad id' }, { user_id: user, kinds: ['nope'] }]) {
      const res = await call('POST', '/v1/context', { key, body });
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.json.error.code).toBe('INVALID_INPUT');
    }
  });
});

describe('core memory blocks in context', () => {
  it('lists the user and agent blocks first, shared blocks once, and an edit shows at once', async () => {
    const agent = unique('a');
    const other = unique('a');
    const put = (label: string, q: string, body: unknown) => call('PUT', `/v1/blocks/${label}?${q}`, { key, body });
    expect((await put('human', `user_id=${user}`, { value: 'Name: Sam. Allergic to peanuts.', description: 'about the user' })).status).toBe(201);
    expect((await put('persona', `agent_id=${agent}`, { value: 'A careful nutrition coach.' })).status).toBe(201);
    expect((await put('team', `agent_id=${other}`, { value: 'Plan: week 1' })).status).toBe(201);
    expect((await call('POST', `/v1/blocks/team/attach?agent_id=${other}`, { key, body: { agent_id: agent } })).status).toBe(200);

    const first = await context({ agent_id: agent, query: 'snack' });
    expect(first.status).toBe(200);
    expect(first.json.blocks.map((b: { label: string }) => b.label)).toEqual(['human', 'persona', 'team']);
    expect(first.json.prompt.startsWith('## Core memory\n### human (about the user)\nName: Sam. Allergic to peanuts.')).toBe(true);

    await call('POST', `/v1/blocks/team/append?agent_id=${other}`, { key, body: { text: 'Plan: week 2' } });
    const second = await context({ agent_id: agent, query: 'snack' });
    expect(second.json.blocks.find((b: { label: string }) => b.label === 'team').value).toBe('Plan: week 1\nPlan: week 2');
  });

  it('drops a block that does not fit the budget rather than cutting it', async () => {
    await call('PUT', `/v1/blocks/notes?user_id=${user}`, { key, body: { value: 'word '.repeat(300).trim() } });
    await call('PUT', `/v1/blocks/name?user_id=${user}`, { key, body: { value: 'Sam' } });
    const res = await context({ query: 'x', token_budget: 50 });
    expect(res.json.blocks.map((b: { label: string }) => b.label)).toEqual(['name']);
    expect(res.json.usage.dropped.blocks).toBe(1);
  });
});

describe('one wave', () => {
  it('checks the key, reads Redis and queries Vector together, and calls nothing else', async () => {
    await story();
    // The first request of a key in an isolate checks it before anything else; later ones fold the check in.
    await context({ run_id: 'now', query: 'warm up' });
    // A delay per upstream call makes sequential calls visible in the log: two stages cannot overlap.
    for (const server of [redis, vector]) {
      await server('POST', '/_local/faults', { delay_ms: 25 });
      await server('DELETE', '/_local/log');
    }
    const res = await context({ run_id: 'now', query: 'Suggest a snack for me' });
    expect(res.status).toBe(200);
    const r: Array<{ started_at: number; ended_at: number; excerpt: string }> = await redis('GET', '/_local/log');
    const v: Array<{ started_at: number; ended_at: number; path: string }> = await vector('GET', '/_local/log');
    expect(v).toHaveLength(1);
    expect(v[0]!.path).toMatch(/query/);
    expect(r.length).toBeGreaterThanOrEqual(1);
    // The key lookup, the rate-limit count (its own pipeline: a script is a write) and the route's reads.
    expect(r.length).toBeLessThanOrEqual(3);
    expect(waves([...r, ...v])).toBe(1);
  });

  it('still answers 401 at once for a revoked key, even after the key was verified', async () => {
    const minted = await mintKey();
    expect((await call('POST', '/v1/context', { key: minted.key, body: { user_id: user, query: 'x' } })).status).toBe(200);
    expect((await call('DELETE', `/v1/admin/keys/${minted.key_id}`, { key: local.tokens.admin })).status).toBe(200);
    const res = await call('POST', '/v1/context', { key: minted.key, body: { user_id: user, query: 'x' } });
    expect(res.status).toBe(401);
    expect(res.json.error.code).toBe('UNAUTHORIZED');
  });
});
