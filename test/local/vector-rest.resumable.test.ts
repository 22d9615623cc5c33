/**
 * Resumable queries: the first page under a uuid, further pages with fetchNext, stop, and expiry after
 * maxIdle seconds on the server's clock (advanced, not slept).
 */
import { Index } from '@upstash/vector';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalServer } from '../../scripts/local/server.js';
import { startVectorRest } from '../../scripts/local/vector-rest.js';

const TOKEN = 'vector-resumable-token';
let server: LocalServer;
let index: Index;

beforeAll(async () => {
  server = await startVectorRest({ token: TOKEN, indexType: 'DENSE', dimension: 2 });
  index = new Index({ url: server.url, token: TOKEN, retry: false });
  await index.upsert(Array.from({ length: 7 }, (_, i) => ({ id: `r${i}`, vector: [1, i / 10], metadata: { i } })));
});
afterAll(() => server.close());

describe('resumable query', () => {
  it('hands out the ranking page by page, then stops', async () => {
    const { result, fetchNext, stop } = await index.resumableQuery({ vector: [1, 0], topK: 2, maxIdle: 60, includeMetadata: true });
    expect(result.map((r) => r.id)).toEqual(['r0', 'r1']);
    expect(result[0]).toEqual({ id: 'r0', score: 1, metadata: { i: 0 } });
    expect((await fetchNext(3)).map((r) => r.id)).toEqual(['r2', 'r3', 'r4']);
    expect((await fetchNext(5)).map((r) => r.id)).toEqual(['r5', 'r6']);
    expect(await fetchNext(5)).toEqual([]);
    expect(await stop()).toBe('Success');
  });

  it('applies filters and works in a namespace', async () => {
    const ns = index.namespace('empty');
    const { result } = await ns.resumableQuery({ vector: [1, 0], topK: 2, maxIdle: 60 });
    expect(result).toEqual([]);
    const filtered = await index.resumableQuery({ vector: [1, 0], topK: 5, maxIdle: 60, filter: 'i >= 5' });
    expect(filtered.result.map((r) => r.id)).toEqual(['r5', 'r6']);
    await filtered.stop();
  });

  it('runs on text through resumable-query-data', async () => {
    const ns = index.namespace('text');
    await ns.upsert([{ id: 't1', data: 'green tea in the morning' }, { id: 't2', data: 'a chess tournament' }]);
    const { result, stop } = await ns.resumableQuery({ data: 'chess', topK: 1, maxIdle: 60 });
    expect(result.map((r) => r.id)).toEqual(['t2']);
    await stop();
  });

  it('forgets a query idle for longer than maxIdle', async () => {
    const { fetchNext } = await index.resumableQuery({ vector: [1, 0], topK: 1, maxIdle: 30 });
    server.clock.advance(31_000);
    await expect(fetchNext(1)).rejects.toThrow('does not exist or has expired');
  });
});
