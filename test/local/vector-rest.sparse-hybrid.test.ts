/**
 * Sparse and hybrid indexes through the official SDK: the sparse inner product (only overlapping
 * records come back), IDF weighting, which vectors each index type takes, and hybrid fusion by RRF
 * (ranks from 1: 1/(rank + 60)) and DBSF.
 */
import { FusionAlgorithm, Index, WeightingStrategy } from '@upstash/vector';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalServer } from '../../scripts/local/server.js';
import { startVectorRest } from '../../scripts/local/vector-rest.js';

const TOKEN = 'vector-sparse-token';
const servers: LocalServer[] = [];

async function indexOf(indexType: 'SPARSE' | 'HYBRID'): Promise<Index> {
  const server = await startVectorRest({ token: TOKEN, indexType, dimension: 2 });
  servers.push(server);
  return new Index({ url: server.url, token: TOKEN, retry: false });
}
afterAll(async () => {
  for (const s of servers) await s.close();
});

const sv = (indices: number[], values: number[]) => ({ indices, values });
const idf = (n: number, df: number) => Math.log((n - df + 0.5) / (df + 0.5) + 1);

describe('sparse index', () => {
  let index: Index;
  beforeAll(async () => {
    index = await indexOf('SPARSE');
    await index.upsert([
      { id: 'a', sparseVector: sv([1], [0.5]) },
      { id: 'b', sparseVector: sv([1], [1]) },
      { id: 'c', sparseVector: sv([2], [1]) },
      { id: 'd', sparseVector: sv([1, 7], [2, 3]) },
    ]);
  });

  it('scores by inner product and leaves out records with no shared dimension', async () => {
    expect(await index.query({ sparseVector: sv([1], [1]), topK: 10 })).toEqual([
      { id: 'd', score: 2 },
      { id: 'b', score: 1 },
      { id: 'a', score: 0.5 },
    ]);
    expect(await index.query({ sparseVector: sv([99], [1]), topK: 10 })).toEqual([]);
  });

  it('weights query dimensions by IDF when asked: ln((N − n + 0.5)/(n + 0.5) + 1)', async () => {
    const res = await index.query({ sparseVector: sv([1, 2], [1, 1]), topK: 10, weightingStrategy: WeightingStrategy.IDF });
    expect(res.map((r) => r.id)).toEqual(['c', 'd', 'b', 'a']);
    expect(res[0]!.score).toBeCloseTo(idf(4, 1), 5);
    expect(res[1]!.score).toBeCloseTo(2 * idf(4, 3), 5);
  });

  it('returns sparseVector, never vector, with includeVectors', async () => {
    expect(await index.fetch(['d'], { includeVectors: true })).toEqual([{ id: 'd', sparseVector: sv([1, 7], [2, 3]) }]);
  });

  it('takes sparse vectors only', async () => {
    await expect(index.upsert({ id: 'x', vector: [1, 0] })).rejects.toThrow('Dense vectors are not allowed for a SPARSE index.');
    await expect(index.query({ vector: [1, 0], topK: 1 })).rejects.toThrow('Dense vectors are not allowed for a SPARSE index.');
    await expect(index.upsert({ id: 'x', sparseVector: sv([1, 2], [1]) })).rejects.toThrow('must have the same length');
  });
});

describe('hybrid index', () => {
  let index: Index;
  beforeAll(async () => {
    index = await indexOf('HYBRID');
    await index.upsert([
      { id: 'a', vector: [1, 0], sparseVector: sv([1], [0.5]) },
      { id: 'b', vector: [0.8, 0.6], sparseVector: sv([1], [1]) },
      { id: 'c', vector: [0, 1], sparseVector: sv([2], [1]) },
      { id: 'd', vector: [-1, 0], sparseVector: sv([1], [2]) },
    ]);
  });
  // Dense ranks for [1, 0]: a, b, c, d. Sparse ranks for {1: 1}: d, b, a (c shares nothing).
  const query = { vector: [1, 0], sparseVector: sv([1], [1]), topK: 4 };

  it('fuses with RRF by default: 1/(rank + 60), ranks from 1', async () => {
    const res = await index.query(query);
    expect(res.map((r) => r.id)).toEqual(['a', 'b', 'd', 'c']);
    const rrf = { a: 1 / 61 + 1 / 63, b: 1 / 62 + 1 / 62, d: 1 / 64 + 1 / 61, c: 1 / 63 };
    for (const r of res) expect(r.score).toBeCloseTo(rrf[r.id as keyof typeof rrf], 7);
  });

  it('fuses with DBSF: each list normalised by (s − (μ − 3σ)) / 6σ, then summed', async () => {
    const dbsf = (scores: Record<string, number>) => {
      const v = Object.values(scores);
      const mean = v.reduce((s, x) => s + x, 0) / v.length;
      const sd = Math.sqrt(v.reduce((s, x) => s + (x - mean) ** 2, 0) / v.length);
      return Object.fromEntries(Object.entries(scores).map(([k, x]) => [k, (x - (mean - 3 * sd)) / (6 * sd)]));
    };
    const dense = dbsf({ a: 1, b: 0.9, c: 0.5, d: 0 });
    const sparse = dbsf({ d: 2, b: 1, a: 0.5 });
    const expected = { a: dense.a! + sparse.a!, b: dense.b! + sparse.b!, c: dense.c!, d: dense.d! + sparse.d! };
    const res = await index.query({ ...query, fusionAlgorithm: FusionAlgorithm.DBSF });
    expect(res.map((r) => r.id)).toEqual(['b', 'a', 'd', 'c']);
    for (const r of res) expect(r.score).toBeCloseTo(expected[r.id as keyof typeof expected], 5);
  });

  it('queries one side alone when only one vector is given', async () => {
    expect((await index.query({ vector: [1, 0], topK: 2 })).map((r) => r.id)).toEqual(['a', 'b']);
    expect(await index.query({ sparseVector: sv([1], [1]), topK: 2 })).toEqual([
      { id: 'd', score: 2 },
      { id: 'b', score: 1 },
    ]);
  });

  it('returns both vectors with includeVectors', async () => {
    expect(await index.fetch(['b'], { includeVectors: true })).toEqual([{ id: 'b', vector: [0.8, 0.6], sparseVector: sv([1], [1]) }]);
  });

  it('needs both vectors on upsert, and updates them together', async () => {
    await expect(index.upsert({ id: 'x', vector: [1, 0] })).rejects.toThrow('Both a dense and a sparse vector are required');
    await expect(index.update({ id: 'a', vector: [0, 1] })).rejects.toThrow('must be updated together');
    expect(await index.update({ id: 'a', vector: [0, 1], sparseVector: sv([3], [1]) })).toEqual({ updated: 1 });
    expect(await index.fetch(['a'], { includeVectors: true })).toEqual([{ id: 'a', vector: [0, 1], sparseVector: sv([3], [1]) }]);
  });
});
