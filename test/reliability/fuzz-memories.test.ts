/**
 * Property-based fuzzing of /v1/memories and /v1/events inside workerd: hostile bodies, queries and
 * path parameters must give 4xx envelopes (or a normal answer), never a 5xx; filter injection must not
 * widen a read beyond the scope asked for; and another tenant's canary stays untouched and unseen.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, drainQueue, scriptLlm } from '../worker/helpers';
import { anyTime, expectHandled, fcParams, INJECTIONS, mint, mutated, nastyString, nastyValue, oddText, pathSegment, plantCanary, queryString } from './fuzz-kit';

let key: string;
let canary: Awaited<ReturnType<typeof plantCanary>>;
const seeded: Record<string, string[]> = {};

beforeAll(async () => {
  await scriptLlm([]);
  ({ key } = await mint({ rate_limit: { requests: 0 } }));
  canary = await plantCanary(key);
  // The fuzzing tenant's own memories, under the same user id as the canary: two sessions, episodes only.
  for (const run of ['r1', 'r2']) {
    const res = await call('POST', '/v1/memories', {
      key,
      body: { user_id: 'victim', run_id: run, infer: false, metadata: { team: 'red', note: "it's" }, messages: [{ role: 'user', content: `vault note in ${run}` }, { role: 'user', content: `another line for ${run}` }] },
    });
    expect(res.status).toBe(201);
    seeded[run] = res.json.results.map((r: { id: string }) => r.id);
  }
});

afterAll(async () => {
  await canary.verify();
  await drainQueue();
  await call('DELETE', '/v1/memories?user_id=victim', { key });
  await canary.cleanup();
});

/** A valid value most of the time, a hostile one otherwise. */
const sometimes = <T>(valid: fc.Arbitrary<T>) => fc.oneof({ weight: 2, arbitrary: valid }, { weight: 1, arbitrary: nastyValue });
const scopeId = fc.oneof(fc.constantFrom('victim', 'r1', 'r2', 'a1'), fc.stringMatching(/^[A-Za-z0-9_.@+-]{1,20}$/));

const FIELDS = ['kind', 'categories', 'entities', 'created_at', 'valid_at', 'expires_at', 'subject', 'source_ids', 'metadata.team', 'metadata.note', 'run_id', 'user_id', 'invalid_at'];
const filterValue = fc.oneof(fc.constantFrom(...INJECTIONS), nastyString, fc.integer(), fc.double(), fc.boolean(), nastyValue);
const condition = fc.tuple(
  fc.oneof({ weight: 4, arbitrary: fc.constantFrom(...FIELDS) }, { weight: 1, arbitrary: nastyString }),
  fc.oneof(filterValue, fc.dictionary(fc.constantFrom('eq', 'ne', 'in', 'nin', 'gt', 'gte', 'lt', 'lte', 'contains', 'regex', 'OR'), fc.oneof(filterValue, fc.array(filterValue, { maxLength: 4 })), { minKeys: 1, maxKeys: 2 })),
).map(([f, v]) => ({ [f]: v }));
const { filter } = fc.letrec<{ filter: unknown }>((tie) => ({
  filter: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    condition,
    fc.record({ AND: fc.array(tie('filter'), { maxLength: 3 }) }),
    fc.record({ OR: fc.array(tie('filter'), { maxLength: 3 }) }),
    fc.record({ NOT: tie('filter') }),
    nastyValue,
  ),
}));

describe('fuzz /v1/memories', () => {
  it('ingest: hostile bodies give 4xx envelopes or a normal answer, never 5xx', async () => {
    const message = fc.record(
      { role: fc.constantFrom('user', 'assistant', 'system', 'tool'), content: oddText, id: oddText, name: oddText, created_at: anyTime },
      { requiredKeys: ['role', 'content'] },
    );
    const valid = fc.record(
      {
        messages: fc.array(message, { minLength: 1, maxLength: 3 }),
        user_id: scopeId,
        agent_id: scopeId,
        run_id: scopeId,
        metadata: fc.dictionary(oddText.map((k) => k.slice(0, 64)), fc.jsonValue({ maxDepth: 2 }), { maxKeys: 3 }),
        infer: fc.constant(false),
        expires_at: anyTime,
      },
      { requiredKeys: ['messages', 'user_id', 'infer'] },
    );
    const body = mutated(valid, ['messages', 'user_id', 'agent_id', 'run_id', 'metadata', 'mode', 'expires_at']);
    await fc.assert(
      fc.asyncProperty(body, async (b) => {
        const res = await call('POST', '/v1/memories', { key, body: b });
        expectHandled(res, `ingest ${JSON.stringify(b).slice(0, 300)}`);
      }),
      fcParams(),
    );
  });

  it('search: injected filters, scope ids and kinds never widen the read or cause a 5xx', async () => {
    const valid = fc.record(
      {
        query: oddText,
        filters: filter,
        kinds: fc.subarray(['episode', 'fact', 'preference'] as string[]),
        top_k: fc.integer({ min: 1, max: 100 }),
        threshold: fc.double({ min: 0, max: 1, noNaN: true }),
        as_of: anyTime,
        include_invalidated: fc.boolean(),
        include_expired: fc.boolean(),
        explain: fc.boolean(),
      },
      { requiredKeys: ['query'] },
    );
    const body = mutated(valid, ['query', 'kinds', 'top_k', 'threshold', 'as_of', 'include_invalidated', 'explain']);
    const run = fc.constantFrom('r1', 'r2');
    await fc.assert(
      fc.asyncProperty(body, run, fc.boolean(), async (b, runId, factsOnly) => {
        const sent = { ...b, user_id: 'victim', run_id: runId, ...(factsOnly && { kinds: ['fact'] }) };
        const res = await call('POST', '/v1/memories/search', { key, body: sent });
        expectHandled(res, `search ${JSON.stringify(sent).slice(0, 300)}`);
        if (res.status !== 200) return;
        for (const m of res.json.results as Array<{ id: string; run_id: string; kind: string }>) {
          // Injection cannot escape the run narrowing, the kinds, or the tenant.
          expect(m.run_id).toBe(runId);
          expect(seeded[runId]).toContain(m.id);
          if (factsOnly) expect(m.kind).toBe('fact');
        }
      }),
      fcParams(40),
    );
  });

  it('search: well-formed filters whose values try to break out of their quotes stay inside the run asked for', async () => {
    const op = fc.constantFrom('eq', 'ne', 'contains', 'in', 'nin');
    const cond = fc.tuple(fc.constantFrom('metadata.note', 'metadata.team', 'kind', 'subject'), op, fc.array(fc.constantFrom(...INJECTIONS), { minLength: 1, maxLength: 3 }));
    const filters = fc.array(cond, { minLength: 1, maxLength: 4 }).map((cs) => ({
      OR: cs.map(([f, o, vs]) => ({ [f]: { [o]: o === 'in' || o === 'nin' ? vs : vs[0] } })),
    }));
    await fc.assert(
      fc.asyncProperty(filters, fc.constantFrom('r1', 'r2'), async (f, runId) => {
        const res = await call('POST', '/v1/memories/search', { key, body: { query: 'vault note', user_id: 'victim', run_id: runId, filters: f } });
        expectHandled(res, `search filters ${JSON.stringify(f)}`);
        if (res.status === 200) for (const m of res.json.results) expect(seeded[runId]).toContain(m.id);
      }),
      fcParams(),
    );
  });

  it('list: hostile query strings', async () => {
    await fc.assert(
      fc.asyncProperty(queryString, async (q) => {
        const res = await call('GET', `/v1/memories?${q}`, { key });
        expectHandled(res, `list ?${q}`);
      }),
      fcParams(),
    );
  });

  it('by id: hostile path parameters and edit bodies; the other tenant’s id is a 404', async () => {
    const id = fc.oneof({ weight: 3, arbitrary: pathSegment }, { weight: 1, arbitrary: fc.constant(canary.memoryId) });
    const route = fc.constantFrom(
      ['GET', (s: string) => `/v1/memories/${s}`],
      ['PATCH', (s: string) => `/v1/memories/${s}`],
      ['DELETE', (s: string) => `/v1/memories/${s}`],
      ['GET', (s: string) => `/v1/memories/${s}/history`],
      ['GET', (s: string) => `/v1/events/${s}`],
    ) as fc.Arbitrary<[string, (s: string) => string]>;
    const edit = fc.record({ memory: sometimes(nastyString), metadata: sometimes(fc.dictionary(nastyString, nastyValue, { maxKeys: 3 })), categories: sometimes(fc.array(nastyString, { maxLength: 3 })), expires_at: sometimes(fc.oneof(fc.constant(null), anyTime)) }, { requiredKeys: [] });
    await fc.assert(
      fc.asyncProperty(route, id, edit, async ([method, path], s, body) => {
        const res = await call(method, path(s), { key, ...(method === 'PATCH' && { body }) });
        expectHandled(res, `${method} ${path(s).slice(0, 200)}`);
        // Another tenant's id: not found (or refused as input), never served or changed.
        if (s === canary.memoryId) expect([400, 404]).toContain(res.status);
      }),
      fcParams(40),
    );
  });

  it('bodies that are not JSON objects, or nest very deep, are 400', async () => {
    const raw = fc.oneof(
      fc.constantFrom('', '{', 'null', '[]', '"text"', '1e999', 'true', '{"messages":', '\u0000', '{"a":1}garbage', '[['.repeat(100_000), '{"a":'.repeat(50_000)),
      fc.string({ unit: 'binary', maxLength: 50 }),
    );
    const path = fc.constantFrom('/v1/memories', '/v1/memories/search', '/v1/context');
    await fc.assert(
      fc.asyncProperty(path, raw, async (p, text) => {
        const res = await call('POST', p, { key, raw: text, headers: { 'content-type': 'application/json' } });
        expectHandled(res, `POST ${p} raw ${JSON.stringify(text.slice(0, 60))}`);
        expect(res.status).toBe(400);
      }),
      fcParams(20),
    );
  });
});
