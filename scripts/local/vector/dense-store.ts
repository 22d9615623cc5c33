/**
 * Dense vectors of one namespace in Float32Array blocks (1024 rows each), with their squared norms in
 * float64. Rows are reused after deletes through a free list; a query scans the blocks in place and
 * keeps only a top-k heap, so it allocates nothing proportional to the index.
 */
import { dot, denseScore } from './scoring.js';
import type { TopK } from './top-k.js';
import type { Similarity, StoredRecord } from './types.js';

const ROWS_PER_BLOCK = 1024;

export class DenseStore {
  private readonly blocks: Float32Array[] = [];
  private readonly norms: Float64Array[] = [];
  private readonly owners: (StoredRecord | undefined)[] = [];
  private readonly free: number[] = [];
  private high = 0;

  constructor(readonly dimension: number) {}

  /** Writes `values` (already checked to have `dimension` components) to `slot`, or to a new row. */
  write(slot: number, values: Float32Array, owner: StoredRecord): number {
    const row = slot >= 0 ? slot : this.allocate();
    const block = this.blocks[Math.floor(row / ROWS_PER_BLOCK)]!;
    const offset = (row % ROWS_PER_BLOCK) * this.dimension;
    block.set(values, offset);
    this.norms[Math.floor(row / ROWS_PER_BLOCK)]![row % ROWS_PER_BLOCK] = dot(block, offset, block.subarray(offset), this.dimension);
    this.owners[row] = owner;
    return row;
  }

  private allocate(): number {
    const reused = this.free.pop();
    if (reused !== undefined) return reused;
    const row = this.high++;
    if (row >= this.blocks.length * ROWS_PER_BLOCK) {
      this.blocks.push(new Float32Array(ROWS_PER_BLOCK * this.dimension));
      this.norms.push(new Float64Array(ROWS_PER_BLOCK));
    }
    return row;
  }

  read(slot: number): Float32Array {
    const offset = (slot % ROWS_PER_BLOCK) * this.dimension;
    return this.blocks[Math.floor(slot / ROWS_PER_BLOCK)]!.slice(offset, offset + this.dimension);
  }

  release(slot: number): void {
    if (slot < 0 || this.owners[slot] === undefined) return;
    this.owners[slot] = undefined;
    this.free.push(slot);
  }

  clear(): void {
    this.blocks.length = 0;
    this.norms.length = 0;
    this.owners.length = 0;
    this.free.length = 0;
    this.high = 0;
  }

  /** Offers every live row that `accept`s to `top`, scored against `query`. */
  scan(query: Float32Array, similarity: Similarity, accept: ((r: StoredRecord) => boolean) | undefined, top: TopK<StoredRecord>): void {
    const dim = this.dimension;
    const qq = dot(query, 0, query, dim);
    for (let b = 0; b < this.blocks.length; b++) {
      const block = this.blocks[b]!;
      const norms = this.norms[b]!;
      const rows = Math.min(ROWS_PER_BLOCK, this.high - b * ROWS_PER_BLOCK);
      for (let i = 0; i < rows; i++) {
        const owner = this.owners[b * ROWS_PER_BLOCK + i];
        if (owner === undefined || (accept !== undefined && !accept(owner))) continue;
        const score = denseScore(similarity, dot(block, i * dim, query, dim), qq, norms[i]!);
        if (score >= top.floor) top.offer(score, owner);
      }
    }
  }
}
