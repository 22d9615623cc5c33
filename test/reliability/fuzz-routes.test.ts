/**
 * Property-based fuzzing of the other routes inside workerd — context, sessions, blocks, entities, MCP,
 * admin and erase: hostile bodies, queries and path parameters give 4xx envelopes or a normal answer, never a
 * 5xx, and another tenant's canary (same user id, same block label, same session id) is untouched.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, drainQueue, local, scriptLlm } from '../worker/helpers';
import { expectHandled, fcParams, mint, mutated, nastyString, nastyValue, oddText, pathSegment, plantCanary, queryString, segment } from './fuzz-kit';

let key: string;
let canary: Awaited<ReturnType<typeof plantCanary>>;

beforeAll(async () => {
  await scriptLlm([]);
  ({ key } = await mint({ rate_limit: { requests: 0 } }));
  canary = await plantCanary(key);
  await call('POST', '/v1/memories', { key, body: { user_id: 'victim', run_id: 'victim-run', infer: false, messages: [{ role: 'user', content: 'my own note' }] } });
  await call('PUT', '/v1/blocks/persona?user_id=victim', { key, body: { value: 'my own block' } });
});

afterAll(async () => {
  await canary.verify();
  await drainQueue();
  for (const q of ['user_id=victim', 'agent_id=victim', 'run_id=victim-run']) await call('DELETE', `/v1/memories?${q}`, { key });
  await canary.cleanup();
});

const sometimes = <T>(valid: fc.Arbitrary<T>) => fc.oneof({ weight: 2, arbitrary: valid }, { weight: 1, arbitrary: nastyValue });
const scopeId = fc.oneof(fc.constantFrom('victim', 'victim-run'), fc.stringMatching(/^[A-Za-z0-9_.@+-]{1,20}$/));
const holderQuery = fc.oneof(
  fc.constantFrom('user_id=victim', 'agent_id=victim', 'user_id=victim&agent_id=victim', ''),
  queryString,
);

describe('fuzz the other routes', () => {
  it('POST /v1/context: hostile bodies', async () => {
    const valid = fc.record(
      {
        user_id: scopeId, agent_id: scopeId, run_id: scopeId, query: oddText, max_messages: fc.integer({ min: 0, max: 1000 }),
        top_k: fc.integer({ min: 0, max: 50 }), token_budget: fc.integer({ min: 1, max: 200_000 }), kinds: fc.subarray(['episode', 'fact', 'preference'] as string[]),
      },
      { requiredKeys: ['user_id'] },
    );
    const body = mutated(valid, ['user_id', 'agent_id', 'run_id', 'query', 'max_messages', 'top_k', 'token_budget', 'kinds']);
    await fc.assert(
      fc.asyncProperty(body, async (b) => {
        const res = await call('POST', '/v1/context', { key, body: b });
        expectHandled(res, `context ${JSON.stringify(b).slice(0, 300)}`);
        if (res.status === 200) expect(JSON.stringify(res.json)).not.toMatch(/4711|canary block/);
      }),
      fcParams(),
    );
  });

  it('sessions: hostile run ids and queries, read and clear', async () => {
    await fc.assert(
      fc.asyncProperty(fc.constantFrom('GET', 'DELETE'), fc.oneof(pathSegment, fc.constant('victim-run')), queryString, async (method, run, q) => {
        const res = await call(method, `/v1/sessions/${run}/messages?${q}`, { key });
        expectHandled(res, `${method} session ${run.slice(0, 80)}?${q.slice(0, 200)}`);
      }),
      fcParams(),
    );
  });

  it('blocks: hostile labels, holders and bodies on every block route', async () => {
    const route = fc.constantFrom(
      ['GET', ''], ['PUT', ''], ['DELETE', ''], ['GET', '/history'],
      ['POST', '/append'], ['POST', '/replace'], ['POST', '/attach'], ['POST', '/detach'],
    ) as fc.Arbitrary<[string, string]>;
    const label = fc.oneof({ weight: 2, arbitrary: fc.constantFrom('persona', 'human', 'notes') }, { weight: 3, arbitrary: pathSegment });
    // A body each route would accept (unknown keys aside), with 0-2 fields made hostile.
    const valid = fc.record(
      { value: oddText, limit: fc.integer({ min: 1, max: 20_000 }), description: oddText, read_only: fc.boolean(), text: oddText, old: oddText, new: oddText, agent_id: scopeId },
      { requiredKeys: [] },
    );
    const body = mutated(valid, ['value', 'limit', 'description', 'read_only', 'text', 'old', 'new', 'agent_id', 'extra']);
    await fc.assert(
      fc.asyncProperty(route, label, holderQuery, body, async ([method, suffix], l, q, b) => {
        const path = `/v1/blocks/${l}${suffix}?${q}`;
        const res = await call(method, path, { key, ...(method !== 'GET' && method !== 'DELETE' && { body: b }) });
        expectHandled(res, `${method} ${path.slice(0, 200)} ${JSON.stringify(b).slice(0, 200)}`);
      }),
      fcParams(40),
    );
    await fc.assert(
      fc.asyncProperty(holderQuery, async (q) => expectHandled(await call('GET', `/v1/blocks?${q}`, { key }), `GET /v1/blocks?${q}`)),
      fcParams(10),
    );
  });

  it('entities: hostile names (they reach a Lua script and Redis keys), queries and graph searches', async () => {
    const name = fc.oneof({ weight: 1, arbitrary: fc.constantFrom('user', 'victim', 'Acme') }, { weight: 3, arbitrary: pathSegment });
    const entityQuery = fc.oneof(
      queryString,
      fc.record({ as_of: fc.oneof(fc.constant('2025-01-01T00:00:00Z'), fc.integer().map(String), nastyString), depth: fc.constantFrom('0', '1', '2', '3', '-1', 'x'), include_history: fc.constantFrom('true', 'false', '1', ''), limit: fc.oneof(fc.integer().map(String), nastyString) }, { requiredKeys: [] })
        .map((q) => `user_id=victim&${new URLSearchParams(q as Record<string, string>)}`),
    );
    await fc.assert(
      fc.asyncProperty(name, entityQuery, async (n, q) => {
        const res = await call('GET', `/v1/entities/${n}?${q}`, { key });
        expectHandled(res, `GET entity ${n.slice(0, 80)}?${q.slice(0, 200)}`);
        expect(JSON.stringify(res.json ?? null)).not.toMatch(/4711|canary block/);
      }),
      fcParams(40),
    );
    await fc.assert(
      fc.asyncProperty(queryString, async (q) => expectHandled(await call('GET', `/v1/entities?${q}`, { key }), `GET /v1/entities?${q.slice(0, 200)}`)),
      fcParams(15),
    );
    await fc.assert(
      fc.asyncProperty(nastyString, fc.boolean(), async (query, graph) => {
        const res = await call('POST', '/v1/memories/search', { key, body: { user_id: 'victim', query, graph } });
        expectHandled(res, `graph search ${JSON.stringify(query).slice(0, 200)}`);
        expect(JSON.stringify(res.json ?? null)).not.toMatch(/4711|canary block/);
      }),
      fcParams(30),
    );
  });

  it('MCP: hostile JSON-RPC envelopes and tool arguments', async () => {
    const tool = fc.constantFrom('add_memory', 'search_memory', 'get_context', 'list_memories', 'delete_memory', 'get_entity', 'update_block', 'no_such_tool');
    const args = fc.oneof(
      fc.record({ user_id: sometimes(scopeId), name: sometimes(nastyString), query: sometimes(nastyString), text: sometimes(nastyString), content: sometimes(nastyString), messages: nastyValue, memory_id: sometimes(fc.constant(canary.memoryId)), label: sometimes(nastyString), value: sometimes(nastyString), filters: nastyValue }, { requiredKeys: [] }),
      nastyValue,
    );
    const message = fc.oneof(
      { weight: 4, arbitrary: fc.record({ jsonrpc: fc.constant('2.0'), id: fc.oneof(fc.integer(), nastyString), method: fc.constant('tools/call'), params: fc.record({ name: tool, arguments: args }) }) },
      { weight: 1, arbitrary: fc.record({ jsonrpc: sometimes(fc.constant('2.0')), id: nastyValue, method: sometimes(fc.constantFrom('initialize', 'ping', 'tools/list')), params: nastyValue }, { requiredKeys: [] }) },
      { weight: 1, arbitrary: fc.array(fc.record({ jsonrpc: fc.constant('2.0'), id: fc.integer(), method: fc.constant('ping') }), { maxLength: 3 }) },
    );
    await fc.assert(
      fc.asyncProperty(message, async (m) => {
        const res = await call('POST', '/mcp', { key, body: m });
        // JSON-RPC errors answer 200 or 400 with a JSON-RPC body; tool failures are results with isError.
        expect(res.status, `mcp ${JSON.stringify(m).slice(0, 300)} → ${JSON.stringify(res.json ?? null).slice(0, 300)}`).toBeLessThan(500);
        expect(JSON.stringify(res.json ?? null)).not.toMatch(/4711|canary block|"INTERNAL"/);
      }),
      fcParams(40),
    );
  });

  it('admin: hostile tenant ids, key ids and bodies; tenant keys and forged tokens are refused', async () => {
    const body = fc.oneof(fc.record({ rate_limit: sometimes(fc.record({ requests: sometimes(fc.integer({ min: 0, max: 10 })), window: sometimes(fc.constantFrom('1 s', '60 s', '1 d')) })) }, { requiredKeys: [] }), nastyValue);
    const token = fc.oneof(fc.constant(local.tokens.admin), fc.constant(key), nastyString.filter((s) => /^[\x21-\x7e]*$/.test(s)));
    await fc.assert(
      fc.asyncProperty(pathSegment, body, token, async (tenant, b, t) => {
        const res = await call('POST', `/v1/admin/tenants/${tenant}/keys`, { key: t, body: b });
        expectHandled(res, `mint ${tenant.slice(0, 80)} ${JSON.stringify(b).slice(0, 200)}`);
        if (t !== local.tokens.admin) expect([401, 403, 413]).toContain(res.status);
        if (res.status === 201) await call('DELETE', `/v1/admin/keys/${res.json.key_id}`, { key: local.tokens.admin });
      }),
      fcParams(),
    );
    await fc.assert(
      fc.asyncProperty(pathSegment, fc.constantFrom(local.tokens.admin, key), async (id, t) => {
        const res = await call('DELETE', `/v1/admin/keys/${id}`, { key: t });
        expectHandled(res, `revoke ${id.slice(0, 80)}`);
        expect(res.status).not.toBe(200);
      }),
      fcParams(15),
    );
  });

  it('erase: hostile scope queries erase only the caller’s own scopes', async () => {
    await fc.assert(
      fc.asyncProperty(fc.oneof(queryString, fc.constantFrom('user_id=victim', `user_id=${segment('victim\u0000')}`, 'run_id=victim-run&user_id=victim')), async (q) => {
        const res = await call('DELETE', `/v1/memories?${q}`, { key });
        expectHandled(res, `erase ?${q}`);
      }),
      fcParams(20),
    );
  });
});
