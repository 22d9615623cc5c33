/**
 * Snapshots: an index started on a data directory finds its records, vectors, metadata, data and
 * namespaces again after close() and a fresh start; the timer writes without a close; a snapshot from
 * an index of another shape is refused with a clear message.
 */
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Index, QueryMode } from '@upstash/vector';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startVectorRest } from '../../scripts/local/vector-rest.js';

const TOKEN = 'vector-persist-token';
let dir: string;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'engram-vector-'));
});
afterEach(() => rm(dir, { recursive: true, force: true }));

describe('persistence', () => {
  it('survives a restart on the same data directory', async () => {
    const first = await startVectorRest({ token: TOKEN, dataDir: dir });
    const a = new Index({ url: first.url, token: TOKEN, retry: false });
    await a.namespace('user-1').upsert([
      { id: 'm1', data: 'Caroline went to a support group', metadata: { kind: 'episode', at: 1 } },
      { id: 'm2', data: 'Melanie painted a sunrise' },
    ]);
    await a.upsert({ id: 'v', vector: Array.from({ length: 384 }, (_, i) => (i === 0 ? 0.1 : 0)), sparseVector: { indices: [5], values: [0.25] } });
    await a.namespace('user-1').delete('m2');
    await a.namespace('user-1').upsert({ id: 'm3', data: 'Caroline likes pottery' });
    const before = await a.namespace('user-1').range({ cursor: 0, limit: 10, includeVectors: true, includeMetadata: true, includeData: true });
    await first.close();

    const second = await startVectorRest({ token: TOKEN, dataDir: dir });
    try {
      const b = new Index({ url: second.url, token: TOKEN, retry: false });
      expect(await b.namespace('user-1').range({ cursor: 0, limit: 10, includeVectors: true, includeMetadata: true, includeData: true })).toEqual(before);
      expect(await b.fetch(['v'], { includeVectors: true })).toEqual([
        { id: 'v', vector: Array.from({ length: 384 }, (_, i) => (i === 0 ? 0.1 : 0)), sparseVector: { indices: [5], values: [0.25] } },
      ]);
      expect(await b.listNamespaces()).toEqual(['', 'user-1']);
      // BM25 statistics are rebuilt, so text queries rank as before.
      expect((await b.namespace('user-1').query({ data: 'support group', topK: 1, queryMode: QueryMode.SPARSE }))[0]?.id).toBe('m1');
      // New records sort after the restored ones.
      await b.namespace('user-1').upsert({ id: 'm0', data: 'later' });
      expect((await b.namespace('user-1').range({ cursor: 0, limit: 10 })).vectors.map((v) => v.id)).toEqual(['m1', 'm3', 'm0']);
    } finally {
      await second.close();
    }
  });

  it('writes on the timer when the index changed, atomically (no temp file left)', async () => {
    const server = await startVectorRest({ token: TOKEN, dataDir: dir, snapshotIntervalMs: 20 });
    try {
      await new Index({ url: server.url, token: TOKEN, retry: false }).upsert({ id: 'x', data: 'hello' });
      // The timer is real (it writes files, not logical time): wait for it, bounded.
      for (let i = 0; i < 100 && !(await readdir(dir)).includes('vector-index.snapshot'); i++) await new Promise((r) => setTimeout(r, 20));
      expect(await readdir(dir)).toEqual(['vector-index.snapshot']);
    } finally {
      await server.close();
    }
  });

  it('refuses a snapshot written for another index shape', async () => {
    const server = await startVectorRest({ token: TOKEN, dataDir: dir, indexType: 'DENSE', dimension: 2 });
    await new Index({ url: server.url, token: TOKEN, retry: false }).upsert({ id: 'x', vector: [1, 0] });
    await server.close();
    await expect(startVectorRest({ token: TOKEN, dataDir: dir, indexType: 'DENSE', dimension: 3 })).rejects.toThrow(
      /is for a DENSE index of dimension 2, but this server is DENSE with dimension 3/,
    );
  });

  it('starts empty on an empty directory and writes nothing if nothing changed', async () => {
    const server = await startVectorRest({ token: TOKEN, dataDir: dir });
    expect((await new Index({ url: server.url, token: TOKEN, retry: false }).info()).vectorCount).toBe(0);
    await server.close();
    expect(await readdir(dir)).toEqual([]);
  });
});
