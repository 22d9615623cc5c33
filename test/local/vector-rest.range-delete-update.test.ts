/**
 * range (offset cursors, "" at the end without an extra empty page), delete (ids, prefix, filter, and
 * the only-one-of rule) and update (OVERWRITE, PATCH as an RFC 7396 merge patch, vectors).
 */
import { Index } from '@upstash/vector';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { LocalServer } from '../../scripts/local/server.js';
import { startVectorRest } from '../../scripts/local/vector-rest.js';

const TOKEN = 'vector-range-token';
let server: LocalServer;
let index: Index;

beforeAll(async () => {
  server = await startVectorRest({ token: TOKEN, indexType: 'DENSE', dimension: 2 });
  index = new Index({ url: server.url, token: TOKEN, retry: false });
});
afterAll(() => server.close());
beforeEach(() => index.reset({ all: true }));

const upsertMany = (ids: string[]) => index.upsert(ids.map((id, i) => ({ id, vector: [1, i], metadata: { i } })));

describe('range', () => {
  it('pages in insertion order with an offset cursor, and "" on the last page', async () => {
    await upsertMany(Array.from({ length: 20 }, (_, i) => `id${i}`));
    const first = await index.range({ cursor: 0, limit: 5 });
    expect(first.nextCursor).toBe('5');
    expect(first.vectors.map((v) => v.id)).toEqual(['id0', 'id1', 'id2', 'id3', 'id4']);
    const seen = [...first.vectors.map((v) => v.id)];
    let cursor = first.nextCursor;
    while (cursor !== '') {
      const page = await index.range({ cursor, limit: 5 });
      seen.push(...page.vectors.map((v) => v.id));
      cursor = page.nextCursor;
    }
    expect(seen).toHaveLength(20);
    expect(new Set(seen).size).toBe(20);
  });

  it('ends a prefix scan without an extra empty page', async () => {
    await upsertMany(['p1', 'x1', 'p2', 'p3', 'x2', 'p4']);
    const one = await index.range({ cursor: '0', limit: 2, prefix: 'p' });
    expect(one).toEqual({ nextCursor: '2', vectors: [{ id: 'p1' }, { id: 'p2' }] });
    const two = await index.range({ cursor: one.nextCursor, limit: 2, prefix: 'p' });
    expect(two).toEqual({ nextCursor: '', vectors: [{ id: 'p3' }, { id: 'p4' }] });
  });

  it('honours include flags and reads a missing namespace as empty', async () => {
    await upsertMany(['a']);
    expect(await index.range({ cursor: 0, limit: 1, includeMetadata: true, includeVectors: true })).toEqual({
      nextCursor: '',
      vectors: [{ id: 'a', vector: [1, 0], metadata: { i: 0 } }],
    });
    expect(await index.namespace('none').range({ cursor: 0, limit: 5 })).toEqual({ nextCursor: '', vectors: [] });
  });

  it('rejects a bad cursor or limit', async () => {
    await expect(index.range({ cursor: 'abc', limit: 1 })).rejects.toThrow('cursor must be');
    await expect(index.range({ cursor: 0, limit: 0 })).rejects.toThrow('limit must be a positive integer');
  });
});

describe('delete', () => {
  it('deletes by ids (one or many, numeric too) and counts what existed', async () => {
    await upsertMany(['a', 'b', 'c', '7']);
    expect(await index.delete('a')).toEqual({ deleted: 1 });
    expect(await index.delete(['b', 'missing'])).toEqual({ deleted: 1 });
    expect(await index.delete(7)).toEqual({ deleted: 1 });
    expect(await index.delete(['a'])).toEqual({ deleted: 0 });
    expect(await index.fetch(['c'])).toEqual([{ id: 'c' }]);
  });

  it('deletes by prefix', async () => {
    await upsertMany(['user:1', 'user:2', 'agent:1']);
    expect(await index.delete({ prefix: 'user:' })).toEqual({ deleted: 2 });
    expect((await index.range({ cursor: 0, limit: 10 })).vectors).toEqual([{ id: 'agent:1' }]);
  });

  it('deletes by filter', async () => {
    await upsertMany(['a', 'b', 'c']);
    expect(await index.delete({ filter: 'i >= 1' })).toEqual({ deleted: 2 });
  });

  it('requires exactly one of ids, prefix and filter', async () => {
    for (const body of [{}, { ids: ['a'], prefix: 'a' }, { prefix: 'a', filter: 'i = 1' }, { prefix: '' }]) {
      const res = await fetch(`${server.url}/delete`, { method: 'POST', headers: { authorization: `Bearer ${TOKEN}` }, body: JSON.stringify(body) });
      expect(res.status).toBe(400);
      expect(await res.json()).toEqual({ error: 'Only and only one of the ids, prefix, or filter must be provided.', status: 400 });
    }
  });
});

describe('update', () => {
  beforeEach(() =>
    index.upsert({ id: 'u', vector: [1, 0], metadata: { name: 'Ann', tags: ['a'], address: { city: 'Oslo', zip: '0150' } } }),
  );

  it('overwrites metadata by default', async () => {
    expect(await index.update({ id: 'u', metadata: { name: 'Bo' } })).toEqual({ updated: 1 });
    expect(await index.fetch(['u'], { includeMetadata: true })).toEqual([{ id: 'u', metadata: { name: 'Bo' } }]);
  });

  it('merges with PATCH as RFC 7396: nested merge, null deletes, arrays replaced', async () => {
    await index.update({ id: 'u', metadata: { tags: ['b'], address: { zip: null, country: 'NO' }, age: 3 }, metadataUpdateMode: 'PATCH' });
    expect(await index.fetch(['u'], { includeMetadata: true })).toEqual([
      { id: 'u', metadata: { name: 'Ann', tags: ['b'], address: { city: 'Oslo', country: 'NO' }, age: 3 } },
    ]);
  });

  it('replaces the vector and keeps everything else', async () => {
    await index.update({ id: 'u', vector: [0, 1] });
    expect(await index.fetch(['u'], { includeVectors: true, includeMetadata: true })).toEqual([
      { id: 'u', vector: [0, 1], metadata: { name: 'Ann', tags: ['a'], address: { city: 'Oslo', zip: '0150' } } },
    ]);
    expect((await index.query({ vector: [0, 1], topK: 1 }))[0]).toEqual({ id: 'u', score: 1 });
  });

  it('answers updated: 0 for an unknown id and checks the dimension', async () => {
    expect(await index.update({ id: 'nobody', metadata: { a: 1 } })).toEqual({ updated: 0 });
    await expect(index.update({ id: 'u', vector: [1, 2, 3] })).rejects.toThrow('Invalid vector dimension: 3, expected: 2');
  });
});
