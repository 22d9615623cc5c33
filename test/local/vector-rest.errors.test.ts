/**
 * The wire contract around errors: every response is JSON with {"error", "status"}; 401 for a bad
 * token, 503 from the fault knob, loud 404 for unsupported endpoints, 400 for bad bodies, 405 for
 * other methods; GET and DELETE are accepted like POST; /_local/reset clears everything.
 */
import { Index } from '@upstash/vector';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalServer } from '../../scripts/local/server.js';
import { startVectorRest } from '../../scripts/local/vector-rest.js';

const TOKEN = 'vector-errors-token';
let server: LocalServer;
let index: Index;

beforeAll(async () => {
  server = await startVectorRest({ token: TOKEN, indexType: 'DENSE', dimension: 2 });
  index = new Index({ url: server.url, token: TOKEN, retry: false });
});
afterAll(() => server.close());

async function call(path: string, init: { method?: string; body?: string; token?: string } = {}): Promise<{ status: number; json: unknown }> {
  const res = await fetch(`${server.url}${path}`, {
    method: init.method ?? 'POST',
    headers: { authorization: `Bearer ${init.token ?? TOKEN}` },
    ...(init.body !== undefined && { body: init.body }),
  });
  return { status: res.status, json: await res.json() };
}

describe('errors', () => {
  it('answers a bad token with 401 in Upstash shape', async () => {
    expect(await call('/info', { body: '[]', token: 'wrong' })).toEqual({ status: 401, json: { error: 'Unauthorized: Invalid auth token', status: 401 } });
    await expect(new Index({ url: server.url, token: 'wrong', retry: false }).info()).rejects.toThrow('Unauthorized: Invalid auth token');
  });

  it('answers injected faults with 503', async () => {
    server.faults.error_rate = 1;
    try {
      expect(await call('/info', { body: '[]' })).toEqual({ status: 503, json: { error: 'local fault injected', status: 503 } });
    } finally {
      server.faults.error_rate = 0;
    }
  });

  it('answers unknown endpoints loudly', async () => {
    expect(await call('/fetch-random', { body: '{}' })).toEqual({ status: 404, json: { error: 'vector-rest: unsupported endpoint /fetch-random', status: 404 } });
    expect((await call('/info/ns', { body: '[]' })).status).toBe(404);
  });

  it('answers bad JSON and bad fields with 400', async () => {
    expect(await call('/query', { body: '{nope' })).toMatchObject({ status: 400, json: { error: expect.stringContaining('Invalid JSON body') } });
    expect(await call('/upsert', { body: '{"id":{},"vector":[1,0]}' })).toEqual({ status: 400, json: { error: 'id must be a string or a number', status: 400 } });
    expect(await call('/upsert', { body: '{"id":"a","vector":[1,"x"]}' })).toMatchObject({ status: 400 });
    expect(await call('/upsert', { body: '{"id":"a","vector":[1,0],"metadata":[1]}' })).toMatchObject({ status: 400 });
    expect(await call('/query', { body: '{"vector":[1,0],"includeMetadata":"yes"}' })).toMatchObject({ status: 400 });
  });

  it('answers the dimension and vector-kind errors with 422', async () => {
    expect(await call('/upsert', { body: '{"id":1,"vector":[0.1,0.2,0.3]}' })).toEqual({ status: 422, json: { error: 'Invalid vector dimension: 3, expected: 2', status: 422 } });
    expect(await call('/upsert', { body: '{"id":1,"data":"text only"}' })).toMatchObject({ status: 422 });
    await expect(index.upsert({ id: 'x', sparseVector: { indices: [1], values: [1] } })).rejects.toThrow('Sparse vectors are not allowed for a DENSE index.');
  });

  it('accepts GET and DELETE like POST, and refuses other methods', async () => {
    expect((await call('/info', { method: 'GET' })).status).toBe(200);
    expect(await call('/delete', { method: 'DELETE', body: '{"ids":["a"]}' })).toEqual({ status: 200, json: { result: { deleted: 0 } } });
    expect(await call('/info', { method: 'PATCH', body: '[]' })).toMatchObject({ status: 405 });
  });

  it('clears everything on /_local/reset', async () => {
    await index.namespace('x').upsert({ id: 'a', vector: [1, 0] });
    expect((await call('/_local/reset')).status).toBe(200);
    expect(await index.listNamespaces()).toEqual(['']);
  });
});

describe('routing', () => {
  it('does not mistake inherited object keys for endpoints', async () => {
    for (const path of ['/constructor', '/toString', '/__proto__', '/hasOwnProperty/ns']) {
      expect((await call(path, { body: '{}' })).status, path).toBe(404);
    }
  });
});
