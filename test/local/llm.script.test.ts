// Local LLM, scripted mode and the call log: queued answers come back in order (errors as the SDK's
// APIError with the scripted status), usage can be overridden, rule mode resumes when the queue is
// empty, and /_local/llm/calls shows what the client sent.
import OpenAI, { APIError, RateLimitError } from 'openai';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startLlm } from '../../scripts/local/llm.js';
import type { CallRecord } from '../../scripts/local/llm/state.js';
import type { LocalServer } from '../../scripts/local/server.js';

const KEY = 'test-llm-key';
let server: LocalServer;
let client: OpenAI;

beforeAll(async () => {
  server = await startLlm({ apiKey: KEY });
  client = new OpenAI({ apiKey: KEY, baseURL: `${server.url}/v1`, maxRetries: 0 });
});
afterAll(() => server.close());
beforeEach(async () => {
  await control('POST', '/_local/reset');
});

async function control<T = unknown>(method: string, path: string, body?: unknown): Promise<T> {
  const res = await fetch(`${server.url}${path}`, {
    method,
    headers: { authorization: `Bearer ${KEY}`, 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return (await res.json()) as T;
}

const ask = (content: string) => client.chat.completions.create({ model: 'gpt-test', messages: [{ role: 'user', content }] });

describe('scripted responses', () => {
  it('come back in order, then rule mode resumes', async () => {
    await control('POST', '/_local/llm/script', { responses: [{ content: 'first' }, { content: { operations: [] } }] });
    expect(await control('GET', '/_local/state')).toEqual({ mode: 'scripted', calls: 0, scripted: 2 });

    const first = await ask('a');
    expect(first.choices[0]!.message.content).toBe('first');
    expect(first.model).toBe('gpt-test');
    expect(first.system_fingerprint).toBe('local-scripted-stand-in');
    expect((await ask('b')).choices[0]!.message.content).toBe('{"operations":[]}');
    expect((await ask('c')).choices[0]!.message.content).toMatch(/^\[local stand-in\]/);
    expect(await control('GET', '/_local/state')).toEqual({ mode: 'rules', calls: 3, scripted: 0 });
  });

  it('surface an error status as the SDK APIError with that status', async () => {
    await control('POST', '/_local/llm/script', {
      responses: [{ status: 429, error: 'Rate limit reached' }, { status: 500 }, { content: 'after' }],
    });
    const limited = await ask('x').catch((e: unknown) => e);
    expect(limited).toBeInstanceOf(RateLimitError);
    expect((limited as APIError).status).toBe(429);
    expect((limited as APIError).message).toContain('Rate limit reached');
    const failed = await ask('x').catch((e: unknown) => e);
    expect((failed as APIError).status).toBe(500);
    expect((await ask('x')).choices[0]!.message.content).toBe('after');
  });

  it('override usage, honour delay_ms, and replace the queue on request', async () => {
    await control('POST', '/_local/llm/script', { responses: [{ content: 'never' }] });
    await control('POST', '/_local/llm/script', {
      mode: 'replace',
      responses: [{ content: 'slow', delay_ms: 50, usage: { prompt_tokens: 1000, completion_tokens: 20 } }],
    });
    const started = performance.now();
    const completion = await ask('x');
    expect(performance.now() - started).toBeGreaterThanOrEqual(45);
    expect(completion.choices[0]!.message.content).toBe('slow');
    expect(completion.usage).toEqual({ prompt_tokens: 1000, completion_tokens: 20, total_tokens: 1020 });
  });

  it('refuse a malformed script with a 400', async () => {
    const res = await fetch(`${server.url}/_local/llm/script`, {
      method: 'POST', headers: { authorization: `Bearer ${KEY}` }, body: JSON.stringify({ responses: [{ status: 'bad' }] }),
    });
    expect(res.status).toBe(400);
  });
});

describe('the call log', () => {
  it('records chat and embedding requests with their bodies, and clears', async () => {
    server.clock.set(Date.UTC(2025, 4, 2));
    await ask('remember this prompt');
    await client.embeddings.create({ model: 'e', input: 'vector me' });
    const calls = await control<CallRecord[]>('GET', '/_local/llm/calls');
    expect(calls.map((c) => [c.endpoint, c.status, c.mode])).toEqual([
      ['/v1/chat/completions', 200, 'rules'],
      ['/v1/embeddings', 200, null],
    ]);
    expect(calls[0]!.body).toMatchObject({ model: 'gpt-test', messages: [{ role: 'user', content: 'remember this prompt' }] });
    expect(calls[0]!.time).toBeGreaterThanOrEqual(Date.UTC(2025, 4, 2));
    expect(await control<CallRecord[]>('GET', '/_local/llm/calls?endpoint=embeddings')).toHaveLength(1);

    await control('DELETE', '/_local/llm/calls');
    expect(await control('GET', '/_local/llm/calls')).toEqual([]);
  });

  it('adds the configured latency', async () => {
    expect(await control('POST', '/_local/llm/latency', { chat_ms: 40 })).toEqual({ chat_ms: 40, embeddings_ms: 0 });
    const started = performance.now();
    await ask('x');
    expect(performance.now() - started).toBeGreaterThanOrEqual(35);
    await control('POST', '/_local/llm/latency', { chat_ms: 0 });
  });
});
