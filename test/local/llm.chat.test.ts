// Local LLM, chat completions and the OpenAI wire contract through the official openai SDK: the
// response shape, json_object / json_schema answers that validate, usage, OpenAI-shaped errors
// (401 bad key, 400 bad body, 400 stream, 404 unknown route, 503 fault) and the model list.
import OpenAI, { APIError, AuthenticationError, BadRequestError } from 'openai';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startLlm } from '../../scripts/local/llm.js';
import { validate } from '../../scripts/local/llm/json-schema.js';
import type { LocalServer } from '../../scripts/local/server.js';

const KEY = 'test-llm-key';
let server: LocalServer;
let client: OpenAI;

beforeAll(async () => {
  server = await startLlm({ apiKey: KEY, faults: { delay_ms: 0, error_rate: 0, drop_rate: 0, seed: 1, match: '' } });
  client = new OpenAI({ apiKey: KEY, baseURL: `${server.url}/v1`, maxRetries: 0 });
});
afterAll(() => server.close());
beforeEach(async () => {
  await control('POST', '/_local/reset');
  await control('POST', '/_local/faults', { error_rate: 0 });
});

async function control(method: string, path: string, body?: unknown): Promise<Response> {
  return fetch(`${server.url}${path}`, {
    method,
    headers: { authorization: `Bearer ${KEY}`, 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
}

describe('chat completions in rule mode', () => {
  it('answers text with a labelled, deterministic echo in OpenAI shape', async () => {
    const before = Math.floor(server.clock.now() / 1000);
    const completion = await client.chat.completions.create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'Hello there' }] });
    expect(completion).toMatchObject({
      object: 'chat.completion',
      model: 'engram-local-rules',
      system_fingerprint: 'local-rule-based-stand-in',
      choices: [{ index: 0, finish_reason: 'stop', logprobs: null, message: { role: 'assistant', refusal: null } }],
    });
    expect(completion.id).toMatch(/^chatcmpl-/);
    expect(completion.created).toBeGreaterThanOrEqual(before);
    expect(completion.created).toBeLessThanOrEqual(Math.floor(server.clock.now() / 1000));
    expect(completion.choices[0]!.message.content).toMatch(/^\[local stand-in\] .*"Hello there"/);
    const { usage } = completion;
    expect(usage!.prompt_tokens).toBe(Math.ceil('Hello there'.length / 4));
    expect(usage!.total_tokens).toBe(usage!.prompt_tokens + usage!.completion_tokens);
    expect(completion._request_id).toMatch(/^req_local_/);
  });

  it('answers json_object with a JSON object, and wants "json" in the messages like OpenAI', async () => {
    const ok = await client.chat.completions.create({
      model: 'm', messages: [{ role: 'user', content: 'Reply in JSON.' }], response_format: { type: 'json_object' },
    });
    expect(JSON.parse(ok.choices[0]!.message.content!)).toEqual({});
    await expect(
      client.chat.completions.create({ model: 'm', messages: [{ role: 'user', content: 'hi' }], response_format: { type: 'json_object' } }),
    ).rejects.toBeInstanceOf(BadRequestError);
  });

  it('answers any other json_schema with a value that validates against it', async () => {
    const schema = {
      type: 'object', additionalProperties: false, required: ['label', 'score', 'tags', 'note', 'kind', 'nested'],
      properties: {
        label: { type: 'string' }, score: { type: 'number' }, tags: { type: 'array', items: { type: 'string' } },
        note: { type: ['string', 'null'] }, kind: { type: 'string', enum: ['a', 'b'] },
        nested: { type: 'object', additionalProperties: false, required: ['ok'], properties: { ok: { type: 'boolean' } } },
      },
    };
    const completion = await client.chat.completions.parse({
      model: 'm', messages: [{ role: 'user', content: 'classify' }],
      response_format: { type: 'json_schema', json_schema: { name: 'classify', strict: true, schema } },
    });
    const parsed = completion.choices[0]!.message.parsed;
    expect(validate(schema, parsed)).toEqual([]);
    expect(parsed).toEqual({ label: '', score: 0, tags: [], note: null, kind: 'a', nested: { ok: false } });
  });

  it('accepts content parts and n > 1', async () => {
    const completion = await client.chat.completions.create({
      model: 'm', n: 2, messages: [{ role: 'user', content: [{ type: 'text', text: 'part one' }, { type: 'text', text: 'part two' }] }],
    });
    expect(completion.choices.map((c) => c.index)).toEqual([0, 1]);
    expect(completion.choices[1]!.message.content).toContain('part one part two');
  });
});

describe('chat completion errors', () => {
  it('refuses stream: true with a 400 that says why', async () => {
    const err = await client.chat.completions
      .create({ model: 'm', stream: true, messages: [{ role: 'user', content: 'hi' }] })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(BadRequestError);
    expect((err as APIError).message).toMatch(/stream=true is not supported/);
    expect((err as APIError).param).toBe('stream');
  });

  it('answers a bad body with a 400 in OpenAI shape', async () => {
    const notJson = await fetch(`${server.url}/v1/chat/completions`, {
      method: 'POST', headers: { authorization: `Bearer ${KEY}`, 'content-type': 'application/json' }, body: '{oops',
    });
    expect(notJson.status).toBe(400);
    expect(await notJson.json()).toMatchObject({ error: { type: 'invalid_request_error', param: null, code: null } });

    const noMessages = await control('POST', '/v1/chat/completions', { model: 'm', messages: [] });
    expect(noMessages.status).toBe(400);
    expect(await noMessages.json()).toMatchObject({ error: { param: 'messages', code: 'empty_array' } });

    const badRole = await control('POST', '/v1/chat/completions', { model: 'm', messages: [{ role: 'robot', content: 'x' }] });
    expect(await badRole.json()).toMatchObject({ error: { param: 'messages[0].role', code: 'invalid_value' } });
  });

  it('answers a bad key with OpenAI 401 invalid_api_key', async () => {
    const bad = new OpenAI({ apiKey: 'wrong', baseURL: `${server.url}/v1`, maxRetries: 0 });
    const err = await bad.chat.completions.create({ model: 'm', messages: [{ role: 'user', content: 'hi' }] }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AuthenticationError);
    expect((err as APIError).status).toBe(401);
    expect((err as APIError).code).toBe('invalid_api_key');
    const raw = await fetch(`${server.url}/v1/models`, { headers: { authorization: 'Bearer wrong' } });
    expect(await raw.json()).toEqual({
      error: { message: 'Incorrect API key provided', type: 'invalid_request_error', param: null, code: 'invalid_api_key' },
    });
  });

  it('answers an unknown route with a 404 naming the stand-in', async () => {
    const res = await control('POST', '/v1/responses', { model: 'm', input: 'hi' });
    expect(res.status).toBe(404);
    expect(((await res.json()) as { error: { message: string } }).error.message).toMatch(/local LLM stand-in/);
  });

  it('answers an injected fault with an OpenAI-shaped 503', async () => {
    await control('POST', '/_local/faults', { error_rate: 1 });
    const err = await client.chat.completions.create({ model: 'm', messages: [{ role: 'user', content: 'hi' }] }).catch((e: unknown) => e);
    expect((err as APIError).status).toBe(503);
    expect((err as APIError).type).toBe('server_error');
  });
});

describe('models', () => {
  it('lists the local models', async () => {
    const ids: string[] = [];
    for await (const m of client.models.list()) ids.push(m.id);
    expect(ids).toEqual(['engram-local-rules', 'engram-local-embedding']);
    expect((await client.models.retrieve('engram-local-rules')).owned_by).toBe('engram-local');
  });
});
