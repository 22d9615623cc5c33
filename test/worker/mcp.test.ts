/**
 * /mcp through the official MCP SDK client (Client + StreamableHTTPClientTransport), running inside
 * workerd with a fetch that calls the Worker; raw JSON-RPC requests cover the protocol errors the SDK
 * client never sends.
 */
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { exports } from 'cloudflare:workers';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { call, drainQueue, mintKey, op, ORIGIN, scriptLlm, unique } from './helpers';

const TOOL_NAMES = ['add_memory', 'search_memory', 'get_context', 'list_memories', 'delete_memory', 'get_entity', 'update_block'];

const workerFetch = (url: string | URL, init?: RequestInit) => exports.default.fetch(new Request(url, init)) as unknown as Promise<Response>;

async function connect(key?: string) {
  const client = new Client({ name: 'engram-test', version: '1.0.0' });
  const transport = new StreamableHTTPClientTransport(new URL(`${ORIGIN}/mcp`), {
    fetch: workerFetch,
    requestInit: key ? { headers: { authorization: `Bearer ${key}` } } : {},
  });
  await client.connect(transport);
  return client;
}

type ToolResult = { content: Array<{ type: string; text?: string }>; structuredContent?: any; isError?: boolean };
const data = (r: ToolResult) => JSON.parse(r.content[0]!.text!);

/** A raw POST to /mcp, for what the SDK client never sends. */
async function rpc(body: unknown, key: string | undefined, headers: Record<string, string> = {}) {
  const res = await call('POST', '/mcp', { key, headers: { accept: 'application/json, text/event-stream', 'content-type': 'application/json', ...headers }, raw: typeof body === 'string' ? body : JSON.stringify(body) });
  return res;
}

let key: string;
let user: string;
let client: Client;
const cleanups: Array<() => Promise<unknown>> = [];

beforeEach(async () => {
  ({ key } = await mintKey());
  user = unique('u');
  await scriptLlm([]);
  client = await connect(key);
  const k = key;
  const u = user;
  cleanups.push(() => call('DELETE', `/v1/memories?user_id=${u}`, { key: k }));
}, 30_000); // the first request of the run loads the Worker module

afterEach(async () => {
  await client.close();
  while (cleanups.length) await cleanups.pop()!();
});

const callTool = (name: string, args: Record<string, unknown>, c = client) => c.callTool({ name, arguments: args }) as Promise<ToolResult>;
const remember = (text: string, args: Record<string, unknown> = {}, c = client) =>
  callTool('add_memory', { user_id: user, infer: false, messages: [{ role: 'user', content: text }], ...args }, c);

describe('MCP handshake and tool list', () => {
  it('initializes with the SDK client: server info, tools capability, instructions', async () => {
    expect(client.getServerVersion()).toMatchObject({ name: 'engram' });
    expect(client.getServerCapabilities()).toMatchObject({ tools: {} });
    expect(client.getInstructions()).toMatch(/get_context/);
  });

  it('lists every tool with a description, an object input schema and annotations', async () => {
    const { tools } = await client.listTools();
    expect(tools.map((t) => t.name).sort()).toEqual([...TOOL_NAMES].sort());
    for (const t of tools) {
      expect(t.description!.length).toBeGreaterThan(40);
      expect(t.inputSchema.type).toBe('object');
      expect(t.inputSchema).not.toHaveProperty('$schema');
      expect(t.annotations).toHaveProperty('readOnlyHint');
    }
    const add = tools.find((t) => t.name === 'add_memory')!;
    expect(add.inputSchema.required).toEqual(['messages']);
    expect(add.inputSchema.properties!.user_id).toMatchObject({ type: 'string', description: expect.stringMatching(/person/) });
    const search = tools.find((t) => t.name === 'search_memory')!;
    expect(search.inputSchema.required).toEqual(['query']);
    expect(search.annotations).toMatchObject({ readOnlyHint: true });
    expect(tools.find((t) => t.name === 'delete_memory')!.annotations).toMatchObject({ destructiveHint: true });
    // The long zod date-time regex is dropped: `format` says it in far fewer tokens.
    expect(JSON.stringify(search.inputSchema.properties!.as_of)).not.toMatch(/pattern/);
  });
});

describe('memory tools', () => {
  it('add_memory (async) queues extraction; the job makes the fact searchable through search_memory', async () => {
    const added = await callTool('add_memory', { user_id: user, run_id: 's1', messages: [{ role: 'user', content: "I'm allergic to peanuts" }] });
    expect(added.isError).toBeFalsy();
    expect(added.structuredContent).toMatchObject({ event_id: expect.stringMatching(/^evt_/), status: 'queued' });
    expect(await drainQueue()).toContain(200);

    const found = await callTool('search_memory', { user_id: user, query: 'Suggest a snack for me', kinds: ['fact', 'preference'] });
    expect(found.isError).toBeFalsy();
    expect(data(found)).toEqual(found.structuredContent);
    expect(found.structuredContent.results.map((m: { memory: string }) => m.memory)).toContainEqual(expect.stringMatching(/allergic to peanuts/i));
  });

  it('add_memory (infer: false) stores an episode that list_memories shows and delete_memory removes', async () => {
    const added = await remember('We met at the Lisbon conference');
    expect(added.isError).toBeFalsy();
    const [episode] = added.structuredContent.results;
    expect(episode).toMatchObject({ event: 'ADD', kind: 'episode', memory: 'We met at the Lisbon conference', user_id: user });

    const listed = await callTool('list_memories', { user_id: user, limit: 10 });
    expect(listed.structuredContent.results.map((m: { id: string }) => m.id)).toEqual([episode.id]);

    const deleted = await callTool('delete_memory', { memory_id: episode.id });
    expect(deleted.structuredContent).toEqual({ id: episode.id, deleted: true });
    expect((await callTool('list_memories', { user_id: user })).structuredContent.results).toEqual([]);

    const again = await callTool('delete_memory', { memory_id: episode.id });
    expect(again.isError).toBe(true);
    expect(data(again).error).toMatchObject({ code: 'NOT_FOUND', message: expect.stringContaining(episode.id), request_id: expect.any(String) });
  });

  it('get_context returns the session turns, relevant memories and a prompt section', async () => {
    await remember('I keep a vegetarian diet', { run_id: 'r1' });
    const ctx = await callTool('get_context', { user_id: user, run_id: 'r1', query: 'what should I cook for dinner', token_budget: 1000 });
    expect(ctx.isError).toBeFalsy();
    expect(ctx.structuredContent.messages.map((m: { content: string }) => m.content)).toEqual(['I keep a vegetarian diet']);
    expect(ctx.structuredContent).toHaveProperty('memories');
    expect(ctx.structuredContent).toHaveProperty('blocks');
    expect(typeof ctx.structuredContent.prompt).toBe('string');
  });
});

describe('get_entity', () => {
  it('answers an entity by alias with its facts now, at as_of and with history; an unknown name is a clean NOT_FOUND', async () => {
    const works = (org: string) => ({ subject: 'Robert Smith', predicate: 'works_at', object: org, entities: [org] });
    await scriptLlm([{ content: { operations: [op({ text: 'Robert Smith works at Acme', ...works('Acme') })], entities: [{ name: 'Robert Smith', type: 'person', aliases: ['Bob'] }] } }]);
    await callTool('add_memory', { user_id: user, mode: 'sync', messages: [{ role: 'user', content: 'My manager Robert Smith (Bob) works at Acme', created_at: '2024-01-10T00:00:00Z' }] });
    await scriptLlm([{ content: { operations: [op({ event: 'INVALIDATE', ref: 1, text: 'Robert Smith works at Globex', ...works('Globex') })], entities: [] } }]);
    await callTool('add_memory', { user_id: user, mode: 'sync', messages: [{ role: 'user', content: 'Bob moved to Globex', created_at: '2025-02-01T00:00:00Z' }] });

    const now = await callTool('get_entity', { user_id: user, name: 'Bob', include_history: true });
    expect(now.isError).toBeFalsy();
    expect(now.structuredContent.entity).toMatchObject({ name: 'Robert Smith', type: 'person', aliases: ['bob'] });
    expect(now.structuredContent.facts.map((e: { object: string }) => e.object)).toEqual(['Globex']);
    expect(now.structuredContent.history.map((e: { object: string; invalid_at: string }) => [e.object, e.invalid_at])).toEqual([['Acme', '2025-02-01T00:00:00.000Z']]);
    const then = await callTool('get_entity', { user_id: user, name: 'robert smith', as_of: '2024-06-01T00:00:00Z' });
    expect(then.structuredContent.facts.map((e: { object: string }) => e.object)).toEqual(['Acme']);

    const missing = await callTool('get_entity', { user_id: user, name: 'Nobody' });
    expect(missing.isError).toBe(true);
    expect(data(missing).error.code).toBe('NOT_FOUND');
    const bad = await callTool('get_entity', { user_id: user, name: 'Bob', depth: 3 });
    expect(bad.isError).toBe(true);
    expect(data(bad).error.code).toBe('INVALID_INPUT');
  });
});

describe('core memory blocks', () => {
  const block = (args: Record<string, unknown>, c = client) => callTool('update_block', { user_id: user, label: 'human', ...args }, c);

  it('update_block sets, appends and replaces; get_context puts the block in the prompt', async () => {
    const set = await block({ operation: 'set', value: 'Name: Ada', limit: 100 });
    expect(set.isError).toBeFalsy();
    expect(set.structuredContent).toMatchObject({ label: 'human', value: 'Name: Ada', limit: 100, owner: { user_id: user }, version: 1 });
    expect((await block({ operation: 'append', text: 'Likes tea' })).structuredContent.value).toBe('Name: Ada\nLikes tea');
    const replaced = await block({ operation: 'replace', old: 'tea', new: 'green tea' });
    expect(replaced.structuredContent).toMatchObject({ value: 'Name: Ada\nLikes green tea', version: 3 });

    const ctx = await callTool('get_context', { user_id: user, query: 'drinks' });
    expect(ctx.structuredContent.blocks).toContainEqual(expect.objectContaining({ label: 'human', value: 'Name: Ada\nLikes green tea' }));
    expect(ctx.structuredContent.prompt).toContain('Likes green tea');
  });

  it('refuses over-limit and unmatched edits with the envelope code, writing nothing; checks fields per operation', async () => {
    await block({ operation: 'set', value: 'short', limit: 10 });
    const over = await block({ operation: 'append', text: 'much too long for ten' });
    expect(over.isError).toBe(true);
    expect(data(over).error).toMatchObject({ code: 'INVALID_INPUT', details: { reason: 'over_limit', limit: 10 } });
    const missing = await block({ operation: 'replace', old: 'absent', new: 'x' });
    expect(data(missing).error).toMatchObject({ code: 'CONFLICT', details: { reason: 'no_match' } });
    expect((await call('GET', `/v1/blocks/human?user_id=${user}`, { key })).json).toMatchObject({ value: 'short', version: 1 });

    const mixed = await block({ operation: 'append', value: 'x' });
    expect(data(mixed).error.code).toBe('INVALID_INPUT');
    expect(data(mixed).error.message).toMatch(/text: is required.*value: does not go with operation "append"/);
    const twoHolders = await block({ operation: 'set', value: 'x', agent_id: 'a1' });
    expect(data(twoHolders).error.message).toMatch(/exactly one of user_id or agent_id/);
  });
});

describe('bad input, auth and isolation', () => {
  it('answers bad arguments with an isError result carrying the INVALID_INPUT envelope, and writes nothing', async () => {
    const noScope = await callTool('search_memory', { query: 'anything' });
    expect(noScope.isError).toBe(true);
    expect(data(noScope).error).toMatchObject({ code: 'INVALID_INPUT', message: expect.stringMatching(/user_id, agent_id or run_id/) });

    const badMessages = await callTool('add_memory', { user_id: user, messages: [{ role: 'robot', content: 'hi' }] });
    expect(badMessages.isError).toBe(true);
    expect(data(badMessages).error.code).toBe('INVALID_INPUT');
    expect(data(badMessages).error.message).toMatch(/messages\.0\.role/);
    expect((await callTool('list_memories', { user_id: user })).structuredContent.results).toEqual([]);

    const badId = await callTool('delete_memory', { memory_id: 'not-an-id' });
    expect(data(badId).error.code).toBe('INVALID_INPUT');
  });

  it('refuses an unknown tool with JSON-RPC -32602', async () => {
    await expect(client.callTool({ name: 'drop_database', arguments: {} })).rejects.toMatchObject({ code: -32602, message: expect.stringMatching(/Unknown tool: drop_database/) });
  });

  it('refuses a missing or wrong API key with 401, for the SDK client and raw requests', async () => {
    await expect(connect()).rejects.toMatchObject({ code: 401 });
    await expect(connect('ek_not_a_real_key')).rejects.toMatchObject({ code: 401 });
    const raw = await rpc({ jsonrpc: '2.0', id: 1, method: 'tools/list' }, undefined);
    expect(raw.status).toBe(401);
    expect(raw.json.error).toMatchObject({ code: 'UNAUTHORIZED' });
    expect((await call('GET', '/mcp')).status).toBe(401);
  });

  it("keeps tenants apart: tenant B's key cannot see or delete tenant A's memory", async () => {
    const added = await remember('My locker code is 4417');
    const id = added.structuredContent.results[0].id;
    const other = await connect((await mintKey()).key);
    try {
      const search = await callTool('search_memory', { user_id: user, query: 'locker code' }, other);
      expect(search.structuredContent.results).toEqual([]);
      expect((await callTool('list_memories', { user_id: user }, other)).structuredContent.results).toEqual([]);
      const del = await callTool('delete_memory', { memory_id: id }, other);
      expect(data(del).error.code).toBe('NOT_FOUND');
      await callTool('update_block', { user_id: user, label: 'human', operation: 'set', value: 'Locker 4417 belongs to A' });
      const ctx = await callTool('get_context', { user_id: user, query: 'locker code' }, other);
      expect(ctx.isError).toBeFalsy();
      expect(ctx.structuredContent).toMatchObject({ memories: [], blocks: [] });
      expect(JSON.stringify(ctx.structuredContent)).not.toMatch(/4417/);
      const edit = await callTool('update_block', { user_id: user, label: 'human', operation: 'append', text: 'B was here' }, other);
      expect(data(edit).error.code).toBe('NOT_FOUND');
    } finally {
      await other.close();
    }
    // Tenant A still has it.
    const mine = await callTool('search_memory', { user_id: user, query: 'locker code' });
    expect(mine.structuredContent.results.map((m: { id: string }) => m.id)).toEqual([id]);
  });
});

describe('JSON-RPC over HTTP, raw', () => {
  const init = { jsonrpc: '2.0', id: 1, method: 'initialize', params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'raw', version: '0' } } };

  it('negotiates the protocol version: echoes a supported one, offers its newest otherwise', async () => {
    const same = await rpc(init, key);
    expect(same.status).toBe(200);
    expect(same.headers.get('content-type')).toMatch(/application\/json/);
    expect(same.json.result.protocolVersion).toBe('2025-06-18');
    expect(same.headers.get('mcp-session-id')).toBeNull();
    const future = await rpc({ ...init, params: { ...init.params, protocolVersion: '2099-01-01' } }, key);
    expect(future.json.result.protocolVersion).toBe('2025-11-25');
    const unsupportedHeader = await rpc({ jsonrpc: '2.0', id: 2, method: 'ping' }, key, { 'mcp-protocol-version': '1999-01-01' });
    expect(unsupportedHeader.status).toBe(400);
  });

  it('answers protocol errors with JSON-RPC codes: parse -32700, unknown method -32601, bad params -32602', async () => {
    const parse = await rpc('{"jsonrpc": "2.0", "id": 1, "method": ', key);
    expect(parse.status).toBe(400);
    expect(parse.json).toMatchObject({ jsonrpc: '2.0', id: null, error: { code: -32700 } });

    const method = await rpc({ jsonrpc: '2.0', id: 'a', method: 'resources/list' }, key);
    expect(method.json).toMatchObject({ id: 'a', error: { code: -32601 } });

    const params = await rpc({ jsonrpc: '2.0', id: 3, method: 'tools/call', params: { arguments: {} } }, key);
    expect(params.json).toMatchObject({ id: 3, error: { code: -32602 } });
    const noVersion = await rpc({ ...init, params: {} }, key);
    expect(noVersion.json.error.code).toBe(-32602);

    const notRpc = await rpc({ id: 4, method: 'ping' }, key);
    expect(notRpc.status).toBe(400);
    expect(notRpc.json.error.code).toBe(-32600);
  });

  it('takes notifications with 202 and no body, answers ping and batches, refuses GET and DELETE with 405', async () => {
    const note = await rpc({ jsonrpc: '2.0', method: 'notifications/initialized' }, key);
    expect(note.status).toBe(202);
    expect(note.json).toBeUndefined();

    const batch = await rpc([{ jsonrpc: '2.0', id: 1, method: 'ping' }, { jsonrpc: '2.0', method: 'notifications/initialized' }, { jsonrpc: '2.0', id: 2, method: 'tools/list' }], key);
    expect(batch.status).toBe(200);
    expect(batch.json.map((m: { id: number }) => m.id)).toEqual([1, 2]);
    expect(batch.json[0].result).toEqual({});
    expect(batch.json[1].result.tools).toHaveLength(TOOL_NAMES.length);

    for (const method of ['GET', 'DELETE']) {
      const res = await call(method, '/mcp', { key, headers: { accept: 'text/event-stream' } });
      expect(res.status).toBe(405);
      expect(res.headers.get('allow')).toBe('POST');
    }
  });
});
