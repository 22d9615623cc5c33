/**
 * The dense store and its SIMD kernel against a plain JS reference: odd dimensions (zero padding),
 * growth past the first memory page, row reuse after deletes, and filters.
 */
import { describe, expect, it } from 'vitest';
import { DenseStore } from '../../scripts/local/vector/dense-store.js';
import { denseScore } from '../../scripts/local/vector/scoring.js';
import { TopK } from '../../scripts/local/vector/top-k.js';
import type { Similarity, StoredRecord } from '../../scripts/local/vector/types.js';

function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (Math.imul(a, 1664525) + 1013904223) >>> 0;
    return a / 4294967296 - 0.5;
  };
}

const DIM = 37;
const rand = prng(7);
const vec = (): Float32Array => Float32Array.from({ length: DIM }, rand);
const rec = (i: number): StoredRecord => ({ id: `r${i}`, seq: i, slot: -1 });

function reference(rows: Map<StoredRecord, Float32Array>, q: Float32Array, similarity: Similarity, k: number): string[] {
  const dot = (a: Float32Array, b: Float32Array) => a.reduce((s, x, i) => s + x * b[i]!, 0);
  return [...rows]
    .map(([r, v]) => ({ id: r.id, seq: r.seq, score: denseScore(similarity, dot(q, v), dot(q, q), dot(v, v)) }))
    .sort((a, b) => b.score - a.score || a.seq - b.seq)
    .slice(0, k)
    .map((x) => x.id);
}

function query(store: DenseStore, q: Float32Array, similarity: Similarity, k: number, accept?: (r: StoredRecord) => boolean) {
  const top = new TopK<StoredRecord>(k);
  store.scan(q, similarity, accept, top);
  return top.sorted();
}

describe('dense store', () => {
  it('ranks like a plain JS scan for every similarity, past several memory growths', () => {
    const store = new DenseStore(DIM);
    const rows = new Map<StoredRecord, Float32Array>();
    for (let i = 0; i < 3000; i++) {
      const r = rec(i);
      const v = vec();
      r.slot = store.write(-1, v, r);
      rows.set(r, v);
    }
    for (const similarity of ['COSINE', 'EUCLIDEAN', 'DOT_PRODUCT'] as const) {
      const q = vec();
      // Float32 sums may reorder near-ties, so compare the clear winners.
      expect(query(store, q, similarity, 5).map((r) => r.item.id).slice(0, 3)).toEqual(reference(rows, q, similarity, 3));
    }
  });

  it('scores a stored vector against itself exactly 1, and reads rows back unchanged', () => {
    const store = new DenseStore(DIM);
    const v = vec();
    const r = rec(0);
    r.slot = store.write(-1, v, r);
    expect(store.read(r.slot)).toEqual(v);
    for (const similarity of ['COSINE', 'EUCLIDEAN'] as const) expect(query(store, v, similarity, 1)[0]!.score).toBe(1);
  });

  it('reuses freed rows and never returns released ones', () => {
    const store = new DenseStore(DIM);
    const a = rec(1);
    const b = rec(2);
    a.slot = store.write(-1, vec(), a);
    b.slot = store.write(-1, vec(), b);
    store.release(a.slot);
    expect(query(store, vec(), 'COSINE', 10).map((r) => r.item.id)).toEqual(['r2']);
    const c = rec(3);
    c.slot = store.write(-1, vec(), c);
    expect(c.slot).toBe(a.slot);
    expect(query(store, vec(), 'COSINE', 10).map((r) => r.item.id).sort()).toEqual(['r2', 'r3']);
  });

  it('skips rows the filter rejects, across kernel chunks', () => {
    const store = new DenseStore(DIM);
    for (let i = 0; i < 2500; i++) {
      const r = rec(i);
      r.slot = store.write(-1, vec(), r);
    }
    const res = query(store, vec(), 'COSINE', 2000, (r) => r.seq % 3 === 0);
    expect(res).toHaveLength(834);
    expect(res.every((r) => r.item.seq % 3 === 0)).toBe(true);
  });

  it('starts over empty on clear', () => {
    const store = new DenseStore(DIM);
    const r = rec(0);
    r.slot = store.write(-1, vec(), r);
    store.clear();
    expect(query(store, vec(), 'COSINE', 5)).toEqual([]);
  });
});
