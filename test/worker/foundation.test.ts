import { describe, expect, it } from 'vitest';
import { call, local, mintKey, redis, unique } from './helpers';

/** One command to the local Redis REST server, plain (unencoded) answers. */
const redisCommand = (command: unknown[]) =>
  fetch(`${local.redis}/`, { method: 'POST', headers: { authorization: `Bearer ${local.tokens.redis}` }, body: JSON.stringify(command) }).then(
    (r) => r.json() as Promise<{ result: any }>,
  );

describe('health', () => {
  it('checks every store for real and reports each ok', async () => {
    const res = await call('GET', '/health');
    expect(res.status).toBe(200);
    expect(res.json).toMatchObject({ status: 'ok', version: expect.any(String), stores: { redis: 'ok', vector: 'ok', qstash: 'ok', llm: 'ok' } });
    expect(res.headers.get('x-request-id')).toMatch(/^req_/);
  });

  it('reports a failing store by name with 503, and recovers', async () => {
    await redis('POST', '/_local/faults', { error_rate: 1 });
    try {
      const res = await call('GET', '/health');
      expect(res.status).toBe(503);
      expect(res.json.status).toBe('degraded');
      expect(res.json.stores.redis).not.toBe('ok');
      expect(res.json.stores.vector).toBe('ok');
    } finally {
      await redis('POST', '/_local/faults', { error_rate: 0 });
    }
    expect((await call('GET', '/health')).status).toBe(200);
  });
});

describe('errors', () => {
  it('answers unknown routes with the 404 envelope and a request id', async () => {
    const res = await call('GET', '/nowhere');
    expect(res.status).toBe(404);
    expect(res.json.error).toMatchObject({ code: 'NOT_FOUND', request_id: res.headers.get('x-request-id') });
  });

  it('keeps a well-formed incoming request id', async () => {
    const res = await call('GET', '/nowhere', { headers: { 'x-request-id': 'abc-123' } });
    expect(res.headers.get('x-request-id')).toBe('abc-123');
    expect(res.json.error.request_id).toBe('abc-123');
  });

  it('answers malformed JSON with INVALID_INPUT and no stack trace', async () => {
    const { key } = await mintKey();
    const res = await call('POST', '/v1/memories', { key, raw: '{"messages": [', headers: { 'content-type': 'application/json' } });
    expect(res.status).toBe(400);
    expect(res.json.error.code).toBe('INVALID_INPUT');
    expect(JSON.stringify(res.json)).not.toMatch(/at \w+ \(/);
  });

  it('refuses bodies over the size limit with 413', async () => {
    const { key } = await mintKey();
    const res = await call('POST', '/v1/memories', { key, raw: 'x'.repeat(1_100_000), headers: { 'content-type': 'application/json' } });
    expect(res.status).toBe(413);
    expect(res.json.error.code).toBe('PAYLOAD_TOO_LARGE');
  });
});

describe('auth', () => {
  it('refuses /v1 without a key, with a bad key, and with a revoked key', async () => {
    const body = { query: 'x', user_id: 'u1' };
    expect((await call('POST', '/v1/memories/search', { body })).status).toBe(401);
    const bad = await call('POST', '/v1/memories/search', { body, key: 'egk_not-a-key' });
    expect(bad.status).toBe(401);
    expect(bad.json.error.code).toBe('UNAUTHORIZED');

    const minted = await mintKey();
    expect((await call('POST', '/v1/memories/search', { body, key: minted.key })).status).toBe(200);
    const revoked = await call('DELETE', `/v1/admin/keys/${minted.key_id}`, { key: local.tokens.admin });
    expect(revoked.json).toEqual({ key_id: minted.key_id, revoked: true });
    expect((await call('POST', '/v1/memories/search', { body, key: minted.key })).status).toBe(401);
  });

  it('mints keys only with the admin token, and never accepts a tenant key there', async () => {
    const tenant = unique('t');
    expect((await call('POST', `/v1/admin/tenants/${tenant}/keys`)).status).toBe(401);
    const { key } = await mintKey();
    const res = await call('POST', `/v1/admin/tenants/${tenant}/keys`, { key });
    expect(res.status).toBe(403);
    expect(res.json.error.code).toBe('FORBIDDEN');
  });

  it('returns a minted key once, stored only as a hash', async () => {
    const tenant = unique('t');
    const res = await call('POST', `/v1/admin/tenants/${tenant}/keys`, { key: local.tokens.admin });
    expect(res.status).toBe(201);
    expect(res.json).toMatchObject({ key: expect.stringMatching(/^egk_/), key_id: expect.stringMatching(/^key_/), tenant });
    // Stored under the SHA-256 of the secret, and the stored record does not contain the secret.
    const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(res.json.key));
    const hash = [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, '0')).join('');
    const stored = await redisCommand(['get', `eg:key:${hash}`]);
    expect(JSON.parse(stored.result)).toMatchObject({ tenant, key_id: res.json.key_id });
    expect(stored.result).not.toContain(res.json.key);
    expect((await redisCommand(['exists', `eg:key:${res.json.key}`])).result).toBe(0);
  });

  it('rejects a malformed tenant id', async () => {
    const res = await call('POST', '/v1/admin/tenants/bad%20tenant/keys', { key: local.tokens.admin });
    expect(res.status).toBe(400);
  });
});

describe('configuration', () => {
  it('names every missing or malformed variable in one clear error, without a stack trace', async () => {
    const { buildApp } = await import('../../src/app');
    const app = buildApp();
    const env = { UPSTASH_REDIS_REST_URL: 'not a url', ADMIN_TOKEN: 'short' };
    const res = await app.fetch(new Request('http://x/v1/memories/search', { method: 'POST' }), env);
    expect(res.status).toBe(500);
    const body = (await res.json()) as { error: { code: string; message: string } };
    expect(body.error.code).toBe('INTERNAL');
    expect(body.error.message).toContain('UPSTASH_REDIS_REST_URL must be an http(s) URL');
    expect(body.error.message).toContain('UPSTASH_REDIS_REST_TOKEN is missing');
    expect(body.error.message).toContain('ADMIN_TOKEN must be at least 16 characters');
    expect(body.error.message).not.toMatch(/at \w+ \(/);
    const health = await app.fetch(new Request('http://x/health'), env);
    expect(health.status).toBe(503);
    expect(((await health.json()) as { status: string }).status).toBe('misconfigured');
  });
});
