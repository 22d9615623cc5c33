/**
 * Shared parts of the fuzz tests (fuzz-*.test.ts): hostile-value generators, the "no 5xx, 4xx in the
 * envelope" check, and a canary — another tenant's memory, block and session — that every fuzz run
 * must leave untouched and visible to its owner alone.
 */
import fc from 'fast-check';
import { expect, inject } from 'vitest';
import { call, local, unique } from '../worker/helpers';

/** Runs per property: modest, so a whole fuzz file stays at a few hundred requests. */
export const RUNS = 30;
/**
 * `npm test` runs these files as a fast slice: its workers project provides `fuzzScale` (a fraction of
 * the runs, at least 2 per property); `npm run test:reliability` provides none and runs them all.
 */
const SCALE = inject('fuzzScale') ?? 1;
/** A fixed seed per run of the suite keeps failures reproducible; fast-check prints it on failure. */
export const fcParams = (runs = RUNS) => ({ numRuns: Math.max(2, Math.round(runs * SCALE)), seed: Number(process.env.FUZZ_SEED ?? 20_260_427), endOnFailure: true });

const STATUS: Record<string, number> = {
  INVALID_INPUT: 400, UNAUTHORIZED: 401, FORBIDDEN: 403, NOT_FOUND: 404, CONFLICT: 409, PAYLOAD_TOO_LARGE: 413, RATE_LIMITED: 429,
};

/** Never a 5xx; a 4xx is the error envelope with the code that status stands for. */
export function expectHandled(res: { status: number; json: any }, what: string): void {
  expect(res.status, `${what} → ${res.status} ${JSON.stringify(res.json)?.slice(0, 400)}`).toBeLessThan(500);
  if (res.status >= 400) {
    expect(res.json?.error, `${what}: no envelope`).toMatchObject({ code: expect.any(String), message: expect.any(String), request_id: expect.any(String) });
    expect(STATUS[res.json.error.code], `${what}: ${res.json.error.code} with ${res.status}`).toBe(res.status);
  }
}

/** Characters that break naive code: NUL, lone surrogates, RTL/zero-width marks, quotes, filter and key syntax. */
const EDGE = [
  '\u0000', '\ud800', '\udfff', '\udc00\ud800', '\u202e', '\u200f', '\u200b', '\u200d', '\ufeff', '\u2028', 'مرحبا', '𝕏', '👩‍👩‍👧',
  "'", '"', '\\', '`', '(', ')', ',', ':', '|', '*', '?', '%', '%00', '%zz', '{', '}', '[', ']', '$', '#', '/', '../', '\n', '\r\n', '\t', ' ',
];

/** Attempts to break out of a quoted Vector filter value or a Redis key part. */
export const INJECTIONS = [
  "' OR kind = 'fact", "x') OR (kind != 'none", '" OR HAS FIELD user_id OR "', "a\\", "a\\' OR 1 = 1 OR 'b", 'x\\" OR 1=1 --',
  'HAS NOT FIELD invalid_at', ') OR (', "' OR '1'='1", 'alice:u.other', 'eg:*', '*', 'u.victim|a.-|r.-', 'victim:u.victim',
  '__proto__', 'constructor', 'toString', 'mem_0123456789abcdef0123456789ab', 'evt_0123456789abcdef01234567',
];

const edgeString = fc.array(fc.oneof(fc.constantFrom(...EDGE), fc.string({ maxLength: 8 })), { maxLength: 12 }).map((parts) => parts.join(''));
/** Strings from short and hostile to very long. */
export const nastyString = fc.oneof(
  { weight: 4, arbitrary: edgeString },
  { weight: 3, arbitrary: fc.constantFrom(...INJECTIONS) },
  { weight: 2, arbitrary: fc.string({ unit: 'binary', maxLength: 40 }) },
  { weight: 1, arbitrary: fc.constantFrom(130, 5_000, 40_000).map((n) => 'é'.repeat(n)) },
  { weight: 1, arbitrary: fc.constant('') },
);

/** Odd but schema-valid text: 1-200 characters of edge cases and injections. */
export const oddText = fc.oneof(edgeString, fc.constantFrom(...INJECTIONS)).map((t) => (t === '' ? '\u200b' : t.slice(0, 200)));

/**
 * A valid body with 0-2 of its fields replaced by hostile values: one bad field at a time reaches
 * deeper than a body where every field may be wrong (that one stops at the first check).
 */
export function mutated<T extends Record<string, unknown>>(valid: fc.Arbitrary<T>, fields: string[]): fc.Arbitrary<Record<string, unknown>> {
  return fc
    .tuple(valid, fc.array(fc.tuple(fc.constantFrom(...fields), nastyValue), { maxLength: 2 }))
    .map(([body, changes]) => ({ ...body, ...Object.fromEntries(changes) }));
}

/** Epoch-ms times from ordinary to far beyond what a Date can hold (8.64e15). */
export const anyTime = fc.oneof(fc.integer({ min: 0, max: 4e12 }), fc.integer({ min: 0, max: Number.MAX_SAFE_INTEGER }), fc.constantFrom(8.64e15, 8.64e15 + 1, 253_402_300_800_000));

/** JSON nested `depth` levels deep, as arrays or objects. */
export const deep = (depth: number, kind: 'array' | 'object') => {
  let v: unknown = 'bottom';
  for (let i = 0; i < depth; i++) v = kind === 'array' ? [v] : { k: v };
  return v;
};

/** Any value a field might receive: wrong types, hostile strings, deep nesting, odd numbers. */
export const nastyValue: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 4, arbitrary: nastyString },
  { weight: 2, arbitrary: fc.constantFrom(null, true, false, 0, -1, 1.5, 1e308, -1e308, Number.MAX_SAFE_INTEGER, Number.MAX_SAFE_INTEGER + 2, 2 ** 31, -0, 8.64e15, 8.64e15 + 1, 9e15) },
  { weight: 2, arbitrary: fc.jsonValue({ maxDepth: 3 }) },
  { weight: 1, arbitrary: fc.constantFrom(deep(60, 'array'), deep(60, 'object'), deep(3000, 'array'), deep(3000, 'object')) },
  { weight: 1, arbitrary: fc.array(nastyString, { maxLength: 5 }) },
);

/** A URL path segment: percent-encoded UTF-8 (lone surrogates become U+FFFD), or raw malformed escapes. */
export function segment(s: string): string {
  const bytes = new TextEncoder().encode(s);
  return s === '' ? '' : [...bytes].map((b) => `%${b.toString(16).padStart(2, '0')}`).join('');
}
export const pathSegment = fc.oneof(
  { weight: 4, arbitrary: nastyString.map(segment) },
  { weight: 1, arbitrary: fc.constantFrom('%', '%zz', '%ED%A0%80', '%C0%AF', '..', '.', '%2e%2e', '%2F', 'mem_' + '0'.repeat(28), 'x'.repeat(5000)) },
);

/** A query string of hostile pairs (keys the routes know, and others). */
export const queryString = fc
  .array(fc.tuple(fc.constantFrom('user_id', 'agent_id', 'run_id', 'cursor', 'limit', 'include_invalidated', 'include_expired', 'x', '__proto__'), fc.oneof(nastyString, fc.constant('victim'))), { maxLength: 5 })
  .map((pairs) => pairs.map(([k, v]) => `${k}=${segment(v)}`).join('&'));

export async function mint(body?: unknown) {
  const res = await call('POST', `/v1/admin/tenants/${unique('t')}/keys`, { key: local.tokens.admin, ...(body !== undefined && { body }) });
  expect(res.status).toBe(201);
  return res.json as { key: string; key_id: string; tenant: string };
}

/**
 * Another tenant's data, planted before a fuzz run: a memory of user "victim", a block and a session
 * turn. The fuzzing tenant uses the same user id ("victim") and knows the memory's id; `verify` checks
 * nothing of it changed and none of it is visible to the fuzzing key.
 */
export async function plantCanary(attackerKey: string) {
  const owner = await mint();
  const ingest = await call('POST', '/v1/memories', {
    key: owner.key,
    body: { user_id: 'victim', run_id: 'victim-run', infer: false, messages: [{ role: 'user', content: 'canary: the vault code is 4711' }] },
  });
  expect(ingest.status).toBe(201);
  const memory = ingest.json.results[0] as { id: string; memory: string };
  expect((await call('PUT', '/v1/blocks/persona?user_id=victim', { key: owner.key, body: { value: 'canary block' } })).status).toBe(201);
  const snapshot = async () => ({
    memory: (await call('GET', `/v1/memories/${memory.id}`, { key: owner.key })).json,
    history: (await call('GET', `/v1/memories/${memory.id}/history`, { key: owner.key })).json,
    list: (await call('GET', '/v1/memories?user_id=victim&include_invalidated=true&include_expired=true', { key: owner.key })).json,
    block: (await call('GET', '/v1/blocks/persona?user_id=victim', { key: owner.key })).json,
    session: (await call('GET', '/v1/sessions/victim-run/messages?user_id=victim', { key: owner.key })).json,
  });
  const before = await snapshot();
  return {
    memoryId: memory.id,
    tenant: owner.tenant,
    async verify() {
      expect(await snapshot()).toEqual(before);
      const seen = [
        await call('GET', `/v1/memories/${memory.id}`, { key: attackerKey }),
        await call('GET', `/v1/memories/${memory.id}/history`, { key: attackerKey }),
      ];
      for (const res of seen) expect(res.status).toBe(404);
      const search = await call('POST', '/v1/memories/search', { key: attackerKey, body: { user_id: 'victim', query: 'vault code canary', include_expired: true, include_invalidated: true } });
      expect(JSON.stringify(search.json)).not.toMatch(/4711/);
      const listed = await call('GET', '/v1/memories?user_id=victim&run_id=victim-run&include_expired=true', { key: attackerKey });
      expect(JSON.stringify(listed.json)).not.toMatch(/4711/);
      const block = await call('GET', '/v1/blocks/persona?user_id=victim', { key: attackerKey });
      expect(JSON.stringify(block.json)).not.toMatch(/canary block/);
      const session = await call('GET', '/v1/sessions/victim-run/messages?user_id=victim', { key: attackerKey });
      expect(JSON.stringify(session.json)).not.toMatch(/4711/);
    },
    cleanup: () => call('DELETE', '/v1/memories?user_id=victim', { key: owner.key }),
  };
}
