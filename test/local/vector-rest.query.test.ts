/**
 * Dense queries through the official SDK: the three similarity functions of §2.6 (an exact match
 * scores exactly 1), topK, include flags, batches (including the one-element batch shape), ties,
 * and filters.
 */
import { Index } from '@upstash/vector';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalServer } from '../../scripts/local/server.js';
import { startVectorRest } from '../../scripts/local/vector-rest.js';
import type { Similarity } from '../../scripts/local/vector/types.js';

const TOKEN = 'vector-query-token';
/** The SDK's types forbid `data` next to `vector`, though `/upsert` stores it (§2.4); the wire allows it. */
const withData = (item: { id: string; vector: number[]; data: string; metadata?: Record<string, unknown> }): { id: string; vector: number[] } => item;

const servers: LocalServer[] = [];

async function indexWith(similarity: Similarity, dimension = 2): Promise<Index> {
  const server = await startVectorRest({ token: TOKEN, indexType: 'DENSE', similarity, dimension });
  servers.push(server);
  return new Index({ url: server.url, token: TOKEN, retry: false });
}

afterAll(async () => {
  for (const s of servers) await s.close();
});

describe('similarity functions', () => {
  it('COSINE: (1 + cos) / 2, exactly 1 for the same direction', async () => {
    const index = await indexWith('COSINE');
    await index.upsert([{ id: 'x', vector: [1, 2] }, { id: 'y', vector: [2, 1] }, { id: 'z', vector: [-1, -2] }]);
    expect(await index.query({ vector: [1, 2], topK: 3 })).toEqual([
      { id: 'x', score: 1 },
      { id: 'y', score: 0.9 },
      { id: 'z', score: 0 },
    ]);
    expect((await index.query({ vector: [0.3, 0.6], topK: 1 }))[0]).toEqual({ id: 'x', score: 1 });
  });

  it('COSINE: exactly 1 for awkward float vectors too', async () => {
    const index = await indexWith('COSINE', 5);
    const v = [0.1, 0.7, -0.333, 1e-3, 42.42];
    await index.upsert({ id: 'v', vector: v });
    expect((await index.query({ vector: v, topK: 1 }))[0]!.score).toBe(1);
  });

  it('EUCLIDEAN: 1 / (1 + squared distance)', async () => {
    const index = await indexWith('EUCLIDEAN');
    await index.upsert([{ id: 'near', vector: [1, 1] }, { id: 'far', vector: [3, 1] }]);
    expect(await index.query({ vector: [1, 1], topK: 2 })).toEqual([
      { id: 'near', score: 1 },
      { id: 'far', score: 0.2 },
    ]);
  });

  it('DOT_PRODUCT: (1 + q·v) / 2 over unit vectors', async () => {
    const index = await indexWith('DOT_PRODUCT');
    const s = Math.SQRT1_2;
    await index.upsert([{ id: 'same', vector: [s, s] }, { id: 'orth', vector: [s, -s] }, { id: 'opp', vector: [-s, -s] }]);
    const res = await index.query({ vector: [s, s], topK: 3 });
    expect(res.slice(0, 2)).toEqual([
      { id: 'same', score: 1 },
      { id: 'orth', score: 0.5 },
    ]);
    // float32 rounding of √½ leaves q·v a hair above -1: a score of ~1e-8, not exactly 0.
    expect(res[2]!.id).toBe('opp');
    expect(res[2]!.score).toBeCloseTo(0, 6);
  });
});

describe('query', () => {
  let index: Index;
  beforeAll(async () => {
    index = await indexWith('COSINE');
    await index.upsert([
      withData({ id: 'a', vector: [1, 0], metadata: { kind: 'fact', n: 1 }, data: 'alpha' }),
      { id: 'b', vector: [0.9, 0.1], metadata: { kind: 'episode', n: 2 } },
      { id: 'c', vector: [0, 1], metadata: { kind: 'fact', n: 3 } },
      { id: 'd', vector: [1, 0] },
    ]);
  });

  it('returns at most topK results, best first, ties in insertion order', async () => {
    const res = await index.query({ vector: [1, 0], topK: 3 });
    expect(res.map((r) => r.id)).toEqual(['a', 'd', 'b']);
    expect(res[0]!.score).toBe(res[1]!.score);
  });

  it('adds vectors, metadata and data only when asked for and present', async () => {
    const res = await index.query({ vector: [1, 0], topK: 2, includeVectors: true, includeMetadata: true, includeData: true });
    expect(res).toEqual([
      { id: 'a', score: 1, vector: [1, 0], metadata: { kind: 'fact', n: 1 }, data: 'alpha' },
      { id: 'd', score: 1, vector: [1, 0] },
    ]);
  });

  it('filters before ranking, so a selective filter still fills topK', async () => {
    const res = await index.query({ vector: [1, 0], topK: 5, filter: "kind = 'fact'", includeMetadata: true });
    expect(res.map((r) => r.id)).toEqual(['a', 'c']);
    expect(await index.query({ vector: [1, 0], topK: 5, filter: 'n >= 2 AND n < 3' })).toMatchObject([{ id: 'b' }]);
  });

  it('answers a batch with one list per query', async () => {
    const res = await index.queryMany([
      { vector: [1, 0], topK: 1 },
      { vector: [0, 1], topK: 1 },
    ]);
    expect(res).toEqual([[{ id: 'a', score: 1 }], [{ id: 'c', score: 1 }]]);
  });

  it('answers a one-element batch flat on the wire (the SDK re-wraps it)', async () => {
    const raw = await fetch(`${servers.at(-1)!.url}/query`, {
      method: 'POST',
      headers: { authorization: `Bearer ${TOKEN}` },
      body: JSON.stringify([{ vector: [0, 1], topK: 1 }]),
    });
    expect(await raw.json()).toEqual({ result: [{ id: 'c', score: 1 }] });
    expect(await index.queryMany([{ vector: [0, 1], topK: 1 }])).toEqual([[{ id: 'c', score: 1 }]]);
  });

  it('reads a namespace that does not exist as empty', async () => {
    expect(await index.namespace('nowhere').query({ vector: [1, 0], topK: 3 })).toEqual([]);
  });

  it('rejects a vector of the wrong dimension and a bad topK', async () => {
    await expect(index.query({ vector: [1, 0, 0], topK: 1 })).rejects.toThrow('Invalid vector dimension: 3, expected: 2');
    await expect(index.query({ vector: [1, 0], topK: 0 })).rejects.toThrow('topK must be an integer between 1 and 1000');
  });

  it('rejects a malformed filter with a 400 naming the position', async () => {
    await expect(index.query({ vector: [1, 0], topK: 1, filter: "kind = 'fact' AND" })).rejects.toThrow(
      'Invalid filter: expected a field name or HAS, found the end of the filter at position 17',
    );
  });
});
