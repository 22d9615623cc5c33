/**
 * upsert and fetch through the official SDK: single and batch bodies, numeric ids, namespaces, the
 * `data` field, include flags and the §2.5 omission rules, and float round-trips.
 */
import { Index } from '@upstash/vector';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { LocalServer } from '../../scripts/local/server.js';
import { startVectorRest } from '../../scripts/local/vector-rest.js';

const TOKEN = 'vector-upsert-token';
/** The SDK's types forbid `data` next to `vector`, though `/upsert` stores it (§2.4); the wire allows it. */
const withData = (item: { id: string; vector: number[]; data: string; metadata?: Record<string, unknown> }): { id: string; vector: number[] } => item;

let server: LocalServer;
let index: Index;

beforeAll(async () => {
  server = await startVectorRest({ token: TOKEN, indexType: 'DENSE', dimension: 2 });
  index = new Index({ url: server.url, token: TOKEN, retry: false });
});
afterAll(() => server.close());
beforeEach(() => index.reset({ all: true }));

describe('upsert', () => {
  it('accepts one record or an array and answers "Success"', async () => {
    expect(await index.upsert({ id: 'a', vector: [0.1, 0.2] })).toBe('Success');
    expect(await index.upsert([{ id: 'b', vector: [0.3, 0.4] }, { id: 'c', vector: [0.5, 0.6], metadata: { k: 'v' } }])).toBe('Success');
    expect((await index.info()).vectorCount).toBe(3);
  });

  it('stores numeric ids as strings: fetch finds them by number or string', async () => {
    await index.upsert({ id: 1, vector: [1, 0] });
    expect(await index.fetch([1])).toEqual([{ id: '1' }]);
    expect(await index.fetch(['1'])).toEqual([{ id: '1' }]);
  });

  it('overwrites a repeated id', async () => {
    await index.upsert({ id: 'a', vector: [1, 0], metadata: { v: 1 } });
    await index.upsert({ id: 'a', vector: [0, 1] });
    expect(await index.fetch(['a'], { includeMetadata: true, includeVectors: true })).toEqual([{ id: 'a', vector: [0, 1] }]);
    expect((await index.info()).vectorCount).toBe(1);
  });

  it('stores data sent to /upsert as given, without needing the model', async () => {
    await index.upsert(withData({ id: 'a', vector: [1, 0], data: 'raw text' }));
    expect(await index.fetch(['a'], { includeData: true })).toEqual([{ id: 'a', data: 'raw text' }]);
  });

  it('keeps metadata as the JSON it was sent as', async () => {
    const metadata = { s: 'x', n: 1.5, b: false, nested: { arr: [1, 'two', null] }, nul: null };
    await index.upsert({ id: 'a', vector: [1, 0], metadata });
    expect(await index.fetch(['a'], { includeMetadata: true })).toEqual([{ id: 'a', metadata }]);
  });

  it('writes into a namespace given on the call or through index.namespace()', async () => {
    await index.upsert({ id: 'a', vector: [1, 0] }, { namespace: 'ns1' });
    await index.namespace('ns2').upsert({ id: 'b', vector: [1, 0] });
    expect(await index.fetch(['a'], { namespace: 'ns1' })).toEqual([{ id: 'a' }]);
    expect(await index.namespace('ns2').fetch(['b'])).toEqual([{ id: 'b' }]);
    expect(await index.fetch(['a', 'b'])).toEqual([null, null]);
  });

  it('rejects the whole batch when one item is bad, writing nothing', async () => {
    await expect(index.upsert([{ id: 'ok', vector: [1, 0] }, { id: 'bad', vector: [1, 0, 0] }])).rejects.toThrow(
      'Invalid vector dimension: 3, expected: 2',
    );
    expect(await index.fetch(['ok'])).toEqual([null]);
  });
});

describe('fetch', () => {
  beforeEach(async () => {
    await index.upsert([
      withData({ id: 'p-1', vector: [0.1, 0.2], metadata: { n: 1 }, data: 'one' }),
      { id: 'p-2', vector: [0.3, 0.4] },
      { id: 'q-1', vector: [0.5, 0.6], metadata: { n: 3 } },
    ]);
  });

  it('answers ids in the order asked, null for missing ones', async () => {
    expect(await index.fetch(['q-1', 'missing', 'p-1'])).toEqual([{ id: 'q-1' }, null, { id: 'p-1' }]);
  });

  it('includes vector, metadata and data only when asked and present, never as null', async () => {
    const all = { includeVectors: true, includeMetadata: true, includeData: true };
    expect(await index.fetch(['p-1', 'p-2'], all)).toEqual([
      withData({ id: 'p-1', vector: [0.1, 0.2], metadata: { n: 1 }, data: 'one' }),
      { id: 'p-2', vector: [0.3, 0.4] },
    ]);
    const [bare] = await index.fetch(['p-1']);
    expect(Object.keys(bare!)).toEqual(['id']);
  });

  it('fetches by prefix, only the matches, in insertion order', async () => {
    expect(await index.fetch({ prefix: 'p-' }, { includeMetadata: true })).toEqual([{ id: 'p-1', metadata: { n: 1 } }, { id: 'p-2' }]);
    expect(await index.fetch({ prefix: 'zzz' })).toEqual([]);
  });

  it('rejects ids and prefix together', async () => {
    const res = await fetch(`${server.url}/fetch`, {
      method: 'POST',
      headers: { authorization: `Bearer ${TOKEN}` },
      body: JSON.stringify({ ids: ['p-1'], prefix: 'p' }),
    });
    expect(res.status).toBe(400);
    expect(await res.json()).toEqual({ error: 'Only one of ids or prefix must be provided.', status: 400 });
  });

  it('round-trips decimals exactly although vectors are stored as float32', async () => {
    await index.upsert({ id: 'f', vector: [0.1, -123.456] });
    expect(await index.fetch(['f'], { includeVectors: true })).toEqual([{ id: 'f', vector: [0.1, -123.456] }]);
  });
});
