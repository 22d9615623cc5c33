/**
 * The `*-data` endpoints with the built-in text model: upsert-data / query-data on hybrid (the
 * default), dense and sparse indexes, queryMode and fusionAlgorithm, re-embedding on update, and the
 * 422 of an index created without a model.
 */
import { FusionAlgorithm, Index, QueryMode } from '@upstash/vector';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalServer } from '../../scripts/local/server.js';
import { startVectorRest, type VectorRestOptions } from '../../scripts/local/vector-rest.js';

const TOKEN = 'vector-data-token';
const servers: LocalServer[] = [];

async function indexWith(opts: Partial<VectorRestOptions> = {}): Promise<{ index: Index; server: LocalServer }> {
  const server = await startVectorRest({ token: TOKEN, ...opts });
  servers.push(server);
  return { index: new Index({ url: server.url, token: TOKEN, retry: false }), server };
}
afterAll(async () => {
  for (const s of servers) await s.close();
});

const MEMORIES = [
  { id: 'm1', data: 'Caroline went to an LGBTQ support group yesterday', metadata: { kind: 'episode' } },
  { id: 'm2', data: 'Melanie painted a lake sunrise last year', metadata: { kind: 'episode' } },
  { id: 'm3', data: 'Melanie is running farther to de-stress', metadata: { kind: 'fact' } },
  { id: 'm4', data: 'The user prefers green tea over coffee in the morning', metadata: { kind: 'preference' } },
];

describe('hybrid index with the built-in model (the default)', () => {
  let index: Index;
  beforeAll(async () => {
    ({ index } = await indexWith());
    await index.upsert(MEMORIES);
  });

  it('ranks the matching memory first for every query mode and fusion', async () => {
    const modes = [{}, { queryMode: QueryMode.DENSE }, { queryMode: QueryMode.SPARSE }, { fusionAlgorithm: FusionAlgorithm.DBSF }];
    for (const mode of modes) {
      const [top] = await index.query({ data: 'what does the user drink in the morning?', topK: 2, ...mode });
      expect(top?.id, JSON.stringify(mode)).toBe('m4');
    }
    expect((await index.query({ data: 'painting a sunrise', topK: 1 }))[0]?.id).toBe('m2');
  });

  it('stores data as given and returns it with includeData', async () => {
    const [top] = await index.query({ data: 'support group', topK: 1, includeData: true, includeMetadata: true });
    expect(top).toMatchObject({ id: 'm1', data: MEMORIES[0]!.data, metadata: { kind: 'episode' } });
  });

  it('returns only records sharing a term in SPARSE mode', async () => {
    const res = await index.query({ data: 'coffee', topK: 4, queryMode: QueryMode.SPARSE });
    expect(res.map((r) => r.id)).toEqual(['m4']);
  });

  it('embeds to a dense vector and a BM25 term-count sparse vector', async () => {
    const [rec] = await index.fetch(['m2'], { includeVectors: true });
    expect(rec!.vector).toHaveLength(384);
    expect(rec!.sparseVector!.indices.length).toBe(rec!.sparseVector!.values.length);
    expect(rec!.sparseVector!.values.every((v) => Number.isInteger(v) && v > 0)).toBe(true);
  });

  it('applies filters to text queries', async () => {
    const res = await index.query({ data: 'Melanie', topK: 4, filter: "kind = 'fact'" });
    expect(res.map((r) => r.id)).toEqual(['m3']);
  });

  it('re-embeds on update with new data', async () => {
    const ns = index.namespace('update');
    await ns.upsert({ id: 'u', data: 'likes hiking in the mountains' });
    expect((await ns.query({ data: 'chess tournament', topK: 1, queryMode: QueryMode.SPARSE })).length).toBe(0);
    expect(await ns.update({ id: 'u', data: 'won a chess tournament' })).toEqual({ updated: 1 });
    expect(await ns.query({ data: 'chess tournament', topK: 1, queryMode: QueryMode.SPARSE, includeData: true })).toMatchObject([
      { id: 'u', data: 'won a chess tournament' },
    ]);
  });

  it('answers a batch of text queries', async () => {
    const res = await index.queryMany([
      { data: 'green tea', topK: 1 },
      { data: 'support group', topK: 1 },
    ]);
    expect(res.map((r) => r[0]?.id)).toEqual(['m4', 'm1']);
  });
});

describe('single-kind indexes with the model', () => {
  it('works on a DENSE index', async () => {
    const { index } = await indexWith({ indexType: 'DENSE', dimension: 64 });
    await index.upsert(MEMORIES);
    const [top] = await index.query({ data: 'green tea in the morning', topK: 1, includeVectors: true });
    expect(top?.id).toBe('m4');
    expect(top?.vector).toHaveLength(64);
    expect(top?.sparseVector).toBeUndefined();
  });

  it('works on a SPARSE index', async () => {
    const { index } = await indexWith({ indexType: 'SPARSE' });
    await index.upsert(MEMORIES);
    const res = await index.query({ data: 'lake sunrise', topK: 3, includeVectors: true });
    expect(res.map((r) => r.id)).toEqual(['m2']);
    expect(res[0]?.vector).toBeUndefined();
  });

  it('reports its models in info', async () => {
    const { index } = await indexWith();
    expect(await index.info()).toMatchObject({
      dimension: 384,
      denseIndex: { dimension: 384, similarityFunction: 'COSINE', embeddingModel: expect.any(String) },
      sparseIndex: { embeddingModel: 'BM25' },
    });
  });
});

describe('an index without a model', () => {
  const message = 'Embedding data for this index is not allowed. The index must be created with an embedding model to use it.';
  let index: Index;
  let server: LocalServer;
  beforeAll(async () => {
    ({ index, server } = await indexWith({ indexType: 'DENSE', dimension: 2, embedding: false }));
  });

  it('answers 422 to upsert-data and query-data', async () => {
    await expect(index.upsert({ id: 'x', data: 'text' })).rejects.toThrow(message);
    await expect(index.query({ data: 'text', topK: 1 })).rejects.toThrow(message);
    const res = await fetch(`${server.url}/upsert-data`, { method: 'POST', headers: { authorization: `Bearer ${TOKEN}` }, body: '{"id":"x","data":"t"}' });
    expect(res.status).toBe(422);
  });

  it('has no embeddingModel in info', async () => {
    const info = await index.info();
    expect(info.denseIndex).toEqual({ dimension: 2, similarityFunction: 'COSINE' });
  });

  it('still stores data sent with vectors, without embedding it', async () => {
    expect(await index.update({ id: 'nope', data: 'x' })).toEqual({ updated: 0 });
    await index.upsert({ id: 'v', vector: [1, 0] });
    expect(await index.update({ id: 'v', data: 'kept as is' })).toEqual({ updated: 1 });
    expect(await index.fetch(['v'], { includeData: true, includeVectors: true })).toEqual([{ id: 'v', vector: [1, 0], data: 'kept as is' }]);
  });
});
