/**
 * Namespaces and index-level endpoints: info, list-namespaces, reset (one, default, all) and
 * delete-namespace (404 when missing, the default one undeletable).
 */
import { Index } from '@upstash/vector';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { LocalServer } from '../../scripts/local/server.js';
import { startVectorRest } from '../../scripts/local/vector-rest.js';

const TOKEN = 'vector-ns-token';
let server: LocalServer;
let index: Index;

beforeAll(async () => {
  server = await startVectorRest({ token: TOKEN, indexType: 'DENSE', dimension: 3, similarity: 'EUCLIDEAN' });
  index = new Index({ url: server.url, token: TOKEN, retry: false });
});
afterAll(() => server.close());
beforeEach(async () => {
  await fetch(`${server.url}/_local/reset`, { method: 'POST', headers: { authorization: `Bearer ${TOKEN}` } });
  await index.upsert([{ id: 'a', vector: [1, 0, 0] }, { id: 'b', vector: [0, 1, 0] }]);
  await index.namespace('ns1').upsert({ id: 'a', vector: [1, 0, 0] });
});

describe('namespaces', () => {
  it('keeps namespaces apart', async () => {
    expect(await index.namespace('ns1').fetch(['a', 'b'])).toEqual([{ id: 'a' }, null]);
    await index.namespace('ns1').delete('a');
    expect(await index.fetch(['a'])).toEqual([{ id: 'a' }]);
  });

  it('lists namespaces, always with the default one', async () => {
    expect(await index.listNamespaces()).toEqual(['', 'ns1']);
  });

  it('reports counts per namespace in info, nothing pending', async () => {
    expect(await index.info()).toEqual({
      vectorCount: 3,
      pendingVectorCount: 0,
      indexSize: expect.any(Number),
      dimension: 3,
      similarityFunction: 'EUCLIDEAN',
      indexType: 'DENSE',
      denseIndex: { dimension: 3, similarityFunction: 'EUCLIDEAN', embeddingModel: expect.any(String) },
      namespaces: { '': { vectorCount: 2, pendingVectorCount: 0 }, ns1: { vectorCount: 1, pendingVectorCount: 0 } },
    });
  });

  it('resets one namespace, which stays listed with 0 vectors', async () => {
    expect(await index.namespace('ns1').reset()).toBe('Success');
    expect((await index.info()).namespaces).toEqual({ '': { vectorCount: 2, pendingVectorCount: 0 }, ns1: { vectorCount: 0, pendingVectorCount: 0 } });
  });

  it('resets the default namespace with a bare reset, and every one with ?all', async () => {
    await index.reset();
    expect((await index.info()).namespaces['']!.vectorCount).toBe(0);
    expect((await index.info()).namespaces.ns1!.vectorCount).toBe(1);
    await index.reset({ all: true });
    expect((await index.info()).vectorCount).toBe(0);
  });

  it('deletes a namespace; a missing one is a 404, the default one cannot be deleted', async () => {
    expect(await index.deleteNamespace('ns1')).toBe('Success');
    expect(await index.listNamespaces()).toEqual(['']);
    await expect(index.deleteNamespace('ns1')).rejects.toThrow('Namespace ns1 for the index local does not exist');
    const res = await fetch(`${server.url}/delete-namespace/ghost`, { method: 'POST', headers: { authorization: `Bearer ${TOKEN}` }, body: '[]' });
    expect(res.status).toBe(404);
    await expect(index.deleteNamespace('')).rejects.toThrow('The default namespace cannot be deleted.');
  });

  it('exposes the index shape on /_local/state', async () => {
    const res = await fetch(`${server.url}/_local/state`, { headers: { authorization: `Bearer ${TOKEN}` } });
    expect(await res.json()).toEqual({ indexType: 'DENSE', dimension: 3, namespaces: { '': 2, ns1: 1 } });
  });
});
