/**
 * One namespace: its records (a Map, so iteration is insertion order), their dense rows, an inverted
 * index over their sparse vectors, and the BM25 statistics of the text-derived ones.
 */
import { Bm25 } from '../text-model.js';
import { DenseStore } from './dense-store.js';
import type { IndexConfig, RecordInput, StoredRecord } from './types.js';

export class Namespace {
  readonly records = new Map<string, StoredRecord>();
  readonly dense: DenseStore | undefined;
  private readonly hasSparse: boolean;
  /** Sparse dimension → (record → stored value). */
  readonly postings = new Map<number, Map<StoredRecord, number>>();
  /** Records holding a sparse vector: N of the IDF formula. */
  sparseCount = 0;
  bm25 = new Bm25();

  constructor(
    readonly name: string,
    config: IndexConfig,
    private readonly hooks: { nextSeq(): number; changed(): void },
  ) {
    this.dense = config.indexType === 'SPARSE' ? undefined : new DenseStore(config.dimension);
    this.hasSparse = config.indexType !== 'DENSE';
  }

  get size(): number {
    return this.records.size;
  }

  get(id: string): StoredRecord | undefined {
    return this.records.get(id);
  }

  /**
   * Inserts or overwrites a record; an overwritten record keeps its place in insertion order.
   * `seq` is given only when restoring a snapshot.
   */
  put(input: RecordInput, seq?: number): StoredRecord {
    const old = this.records.get(input.id);
    if (old) this.unindex(old);
    const rec: StoredRecord = old ?? { id: input.id, seq: seq ?? this.hooks.nextSeq(), slot: -1 };
    // A text-derived record's sparse vector is its term counts (only where the index has a sparse part).
    const terms = input.terms;
    const sparse = input.sparse ?? (terms && this.hasSparse ? { indices: terms.indices, values: terms.values } : undefined);
    if (sparse) rec.sparse = sparse;
    else delete rec.sparse;
    if (terms) rec.terms = terms;
    else delete rec.terms;
    if (input.metadata !== undefined) rec.metadata = input.metadata;
    else delete rec.metadata;
    if (input.data !== undefined) rec.data = input.data;
    else delete rec.data;
    if (this.dense && input.dense) rec.slot = this.dense.write(rec.slot, input.dense, rec);
    this.records.set(rec.id, rec);
    this.index(rec);
    this.hooks.changed();
    return rec;
  }

  delete(id: string): boolean {
    const rec = this.records.get(id);
    if (!rec) return false;
    this.unindex(rec);
    this.dense?.release(rec.slot);
    this.records.delete(id);
    this.hooks.changed();
    return true;
  }

  clear(): void {
    this.records.clear();
    this.dense?.clear();
    this.postings.clear();
    this.sparseCount = 0;
    this.bm25 = new Bm25(this.bm25.params);
    this.hooks.changed();
  }

  denseValues(rec: StoredRecord): Float32Array | undefined {
    return this.dense && rec.slot >= 0 ? this.dense.read(rec.slot) : undefined;
  }

  private index(rec: StoredRecord): void {
    if (rec.terms) this.bm25.add(rec.terms);
    const sv = rec.sparse;
    if (!sv) return;
    this.sparseCount += 1;
    sv.indices.forEach((dim, i) => {
      let list = this.postings.get(dim);
      if (!list) this.postings.set(dim, (list = new Map()));
      list.set(rec, sv.values[i]!);
    });
  }

  private unindex(rec: StoredRecord): void {
    if (rec.terms) this.bm25.remove(rec.terms);
    const sv = rec.sparse;
    if (!sv) return;
    this.sparseCount -= 1;
    for (const dim of sv.indices) {
      const list = this.postings.get(dim);
      list?.delete(rec);
      if (list?.size === 0) this.postings.delete(dim);
    }
  }
}
