/**
 * Auth and isolation as properties: two tenants with the same user and session ids interleave writes
 * (infer:false ingest, edits, deletes) and reads (search, list, get, history, sessions) in random
 * order, with key rotation mixed in. Every memory text is a marker naming its tenant, user and run, so
 * any read that returns another tenant's or another scope's data shows it. A model of what each scope
 * holds checks list, get and history exactly. Revoked keys fail at once; admin routes refuse tenant keys.
 * QStash callbacks with forged, expired, not-yet-valid, wrong-key, wrong-issuer, wrong-URL or
 * wrong-body signatures are refused and write nothing; a replayed genuine one changes nothing.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { call, clearLlmCalls, drainQueue, llmCalls, local, ORIGIN, qstash, redeliver, scriptLlm, type Delivery } from '../worker/helpers';
import { fcParams, mint } from './fuzz-kit';

const TENANTS = ['A', 'B'] as const;
const USERS = ['alice', 'bob'] as const;
const RUNS = ['s1', 's2'] as const;
type TenantName = (typeof TENANTS)[number];

interface Live {
  id: string;
  tenant: TenantName;
  user: string;
  run: string;
  text: string;
}

type Action =
  | { kind: 'ingest'; t: TenantName; user: string; run: string }
  | { kind: 'edit' | 'delete' | 'get' | 'history'; t: TenantName; pick: number }
  | { kind: 'search' | 'list'; t: TenantName; user: string; run: string | null }
  | { kind: 'session'; t: TenantName; user: string; run: string }
  | { kind: 'rotate'; t: TenantName }
  | { kind: 'admin'; t: TenantName };

const tenant = fc.constantFrom(...TENANTS);
const user = fc.constantFrom(...USERS);
const run = fc.constantFrom(...RUNS);
const action: fc.Arbitrary<Action> = fc.oneof(
  { weight: 5, arbitrary: fc.record({ kind: fc.constant('ingest' as const), t: tenant, user, run }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constantFrom('edit' as const, 'delete' as const, 'get' as const, 'history' as const), t: tenant, pick: fc.nat() }) },
  { weight: 3, arbitrary: fc.record({ kind: fc.constantFrom('search' as const, 'list' as const), t: tenant, user, run: fc.option(run) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('session' as const), t: tenant, user, run }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constantFrom('rotate' as const, 'admin' as const), t: tenant }) },
);

/** "mk|A|alice|s1|7 …": who wrote a text, read back from the text itself. */
const marker = (t: string, u: string, r: string, n: number) => `mk|${t}|${u}|${r}|${n} note about the garden`;
const owner = (text: string) => {
  const [, t, u, r] = text.split('|');
  return { t, u, r };
};

async function play(actions: Action[]) {
  const keys: Record<TenantName, { key: string; key_id: string; tenant: string }> = { A: await mint({ rate_limit: { requests: 0 } }), B: await mint({ rate_limit: { requests: 0 } }) };
  const revoked: string[] = [];
  const live: Live[] = [];
  let n = 0;
  const k = (t: TenantName) => keys[t].key;
  try {
    for (const a of actions) {
      const what = JSON.stringify(a);
      switch (a.kind) {
        case 'ingest': {
          const text = marker(a.t, a.user, a.run, n++);
          const res = await call('POST', '/v1/memories', { key: k(a.t), body: { user_id: a.user, run_id: a.run, infer: false, messages: [{ role: 'user', content: text }] } });
          expect(res.status, what).toBe(201);
          live.push({ id: res.json.results[0].id, tenant: a.t, user: a.user, run: a.run, text });
          break;
        }
        case 'edit':
        case 'delete':
        case 'get':
        case 'history': {
          const target = live[a.pick % Math.max(1, live.length)];
          if (!target) break;
          const mine = target.tenant === a.t;
          const path = `/v1/memories/${target.id}${a.kind === 'history' ? '/history' : ''}`;
          const method = a.kind === 'edit' ? 'PATCH' : a.kind === 'delete' ? 'DELETE' : 'GET';
          const text = marker(target.tenant, target.user, target.run, n++);
          const res = await call(method, path, { key: k(a.t), ...(a.kind === 'edit' && { body: { memory: text } }) });
          expect(res.status, `${what} on ${target.tenant}'s memory`).toBe(mine ? 200 : 404);
          if (!mine) break;
          if (a.kind === 'edit') target.text = text;
          if (a.kind === 'delete') live.splice(live.indexOf(target), 1);
          if (a.kind === 'get') expect(res.json.memory).toBe(target.text);
          if (a.kind === 'history') expect(res.json.history.at(-1).memory).toBe(target.text);
          break;
        }
        case 'search':
        case 'list': {
          const scope = { user_id: a.user, ...(a.run && { run_id: a.run }) };
          const res =
            a.kind === 'search'
              ? await call('POST', '/v1/memories/search', { key: k(a.t), body: { ...scope, query: 'note about the garden', top_k: 100 } })
              : await call('GET', `/v1/memories?${new URLSearchParams(scope)}`, { key: k(a.t) });
          expect(res.status, what).toBe(200);
          for (const m of res.json.results as Array<{ memory: string; user_id: string; run_id: string }>) {
            expect(owner(m.memory), `${what} returned ${m.memory}`).toEqual({ t: a.t, u: a.user, r: a.run ?? owner(m.memory).r });
          }
          const expected = live.filter((l) => l.tenant === a.t && l.user === a.user && (!a.run || l.run === a.run)).map((l) => l.text).sort();
          const got = res.json.results.map((m: { memory: string }) => m.memory).sort();
          // List is exact; search may rank some out, but never returns what is not there.
          if (a.kind === 'list') expect(got, what).toEqual(expected);
          else for (const g of got) expect(expected, what).toContain(g);
          break;
        }
        case 'session': {
          const res = await call('GET', `/v1/sessions/${a.run}/messages?user_id=${a.user}`, { key: k(a.t) });
          expect(res.status, what).toBe(200);
          for (const m of res.json.messages as Array<{ content: string }>) expect(owner(m.content)).toMatchObject({ t: a.t, u: a.user, r: a.run });
          break;
        }
        case 'rotate': {
          const old = keys[a.t];
          expect((await call('DELETE', `/v1/admin/keys/${old.key_id}`, { key: local.tokens.admin })).status).toBe(200);
          // Revoked means refused on the very next request: reads (which the auth middleware may
          // serve alongside the key check for a known key) and writes alike.
          const read = await call('POST', '/v1/context', { key: old.key, body: { user_id: 'alice', query: 'garden' } });
          const write = await call('POST', '/v1/memories', { key: old.key, body: { user_id: 'alice', infer: false, messages: [{ role: 'user', content: marker(a.t, 'alice', '-', n++) }] } });
          for (const res of [read, write]) expect(res.status, what).toBe(401);
          revoked.push(old.key);
          const fresh = await call('POST', `/v1/admin/tenants/${old.tenant}/keys`, { key: local.tokens.admin, body: { rate_limit: { requests: 0 } } });
          keys[a.t] = fresh.json;
          break;
        }
        case 'admin': {
          const res = await call('POST', `/v1/admin/tenants/${keys[a.t].tenant}/keys`, { key: k(a.t) });
          expect(res.status, what).toBe(403);
          expect((await call('DELETE', `/v1/admin/keys/${keys[a.t === 'A' ? 'B' : 'A'].key_id}`, { key: k(a.t) })).status).toBe(403);
          break;
        }
      }
    }
    // Old keys stay dead.
    for (const old of revoked) expect((await call('GET', '/v1/memories?user_id=alice', { key: old })).status).toBe(401);
  } finally {
    for (const t of TENANTS) for (const u of USERS) await call('DELETE', `/v1/memories?user_id=${u}`, { key: k(t) });
  }
}

describe('isolation under interleaved tenants, users and sessions', () => {
  it('no read returns another tenant’s or another scope’s data; edits and deletes reach only the owner’s memories', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(action, { minLength: 10, maxLength: 30 }), play),
      fcParams(8),
    );
  });
});

const b64url = (bytes: Uint8Array | string) =>
  btoa(typeof bytes === 'string' ? bytes : String.fromCharCode(...bytes)).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');

/** An `Upstash-Signature` JWT as QStash makes one (HS256 over the signing key's UTF-8), with any claims. */
async function sign(claims: Record<string, unknown>, key: string, header: Record<string, unknown> = { alg: 'HS256', typ: 'JWT' }) {
  const head = `${b64url(JSON.stringify(header))}.${b64url(JSON.stringify(claims))}`;
  const hmac = await crypto.subtle.importKey('raw', new TextEncoder().encode(key), { name: 'HMAC', hash: 'SHA-256' }, false, ['sign']);
  const mac = new Uint8Array(await crypto.subtle.sign('HMAC', hmac, new TextEncoder().encode(head)));
  return `${head}.${b64url(mac)}`;
}
const bodyHash = async (body: string) => b64url(new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(body))));

describe('QStash callbacks', () => {
  it('refuse every bad signature and write nothing; the genuine delivery runs once, a replay changes nothing', async () => {
    await scriptLlm([]);
    await clearLlmCalls();
    const { key } = await mint({ rate_limit: { requests: 0 } });
    const queued = await call('POST', '/v1/memories', { key, body: { user_id: 'alice', messages: [{ role: 'user', content: 'I live in Lisbon' }] } });
    expect(queued.status).toBe(202);
    await qstash('POST', '/_local/clock', { advance_ms: 60_000 });
    const [delivery] = (await qstash('POST', '/_local/qstash/pull', {})) as Delivery[];
    expect(delivery).toBeDefined();
    const d = delivery as Delivery;
    const now = Math.floor(Date.now() / 1000);
    const good = { iss: 'Upstash', sub: d.url, iat: now, nbf: now, exp: now + 300, jti: 'jwt_test', body: await bodyHash(d.body) };
    const current = local.tokens.currentSigningKey;
    const cases = fc.constantFrom(
      ['expired', () => sign({ ...good, iat: now - 900, nbf: now - 900, exp: now - 600 }, current)],
      ['not yet valid', () => sign({ ...good, nbf: now + 600, exp: now + 900 }, current)],
      ['another key', () => sign(good, 'sig_not_ours_000000000000000000')],
      ['another issuer', () => sign({ ...good, iss: 'Mallory' }, current)],
      ['another URL', () => sign({ ...good, sub: `${ORIGIN}/jobs/expire` }, current)],
      ['another body', async () => sign({ ...good, body: await bodyHash(d.body.replace('alice', 'bob')) }, current)],
      ['alg none', async () => `${b64url(JSON.stringify({ alg: 'none', typ: 'JWT' }))}.${b64url(JSON.stringify(good))}.`],
      ['garbage', async () => 'not.a.jwt'],
    ) as fc.Arbitrary<[string, () => Promise<string>]>;
    // A body changed after signing, with a genuine signature.
    const tampered = fc.constantFrom(d.body.replace('alice', 'bob'), d.body.replace(/"event_id":"[^"]+"/, '"event_id":"evt_000000000000000000000000"'), `${d.body} `);
    await fc.assert(
      fc.asyncProperty(fc.oneof(cases.map((c) => ({ c, body: d.body })), tampered.map((body) => ({ c: null, body }))), async ({ c, body }) => {
        const signature = c ? await c[1]() : d.headers['upstash-signature'];
        const res = await redeliver({ ...d, body, headers: { ...d.headers, 'upstash-signature': signature as string } });
        expect(res.status, c ? c[0] : `tampered ${body.slice(0, 80)}`).toBe(401);
      }),
      fcParams(20),
    );
    // Nothing ran: no LLM call, the event still queued, no memories.
    expect((await llmCalls()).filter((x) => x.endpoint.includes('chat'))).toHaveLength(0);
    expect((await call('GET', `/v1/events/${queued.json.event_id}`, { key })).json.status).toBe('queued');
    expect((await call('GET', '/v1/memories?user_id=alice', { key })).json.results).toEqual([]);

    // Positive control: our own signer, with the current key and then the next key, is accepted.
    for (const signingKey of [current, local.tokens.nextSigningKey]) {
      const res = await redeliver({ ...d, headers: { ...d.headers, 'upstash-signature': await sign(good, signingKey) } });
      expect(res.status).toBe(200);
    }
    const after = (await call('GET', '/v1/memories?user_id=alice', { key })).json.results;
    expect(after.length).toBeGreaterThan(0);
    const histories = await Promise.all(after.map(async (m: { id: string }) => (await call('GET', `/v1/memories/${m.id}/history`, { key })).json));
    // A replay of the genuine delivery is accepted (at-least-once) and changes nothing.
    expect((await redeliver(d)).status).toBe(200);
    expect((await call('GET', '/v1/memories?user_id=alice', { key })).json.results).toEqual(after);
    expect(await Promise.all(after.map(async (m: { id: string }) => (await call('GET', `/v1/memories/${m.id}/history`, { key })).json))).toEqual(histories);
    expect((await llmCalls()).filter((x) => x.endpoint.includes('chat'))).toHaveLength(1);
    await qstash('POST', '/_local/qstash/report', { id: d.id, status: 200, headers: {}, body: '' });
    await drainQueue();
    await call('DELETE', '/v1/memories?user_id=alice', { key });
  });
});
