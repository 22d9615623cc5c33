/**
 * Dense vectors of one namespace in Float32Array blocks (1024 rows each), with their squared norms in
 * float64. Rows are reused after deletes through a free list; a query scans the blocks in place and
 * keeps only a top-k heap, so it allocates nothing proportional to the index.
 */
import { dot, dot4Rows, denseScore } from './scoring.js';
import type { TopK } from './top-k.js';
import type { Similarity, StoredRecord } from './types.js';

const ROWS_PER_BLOCK = 1024;

export class DenseStore {
  private readonly blocks: Float32Array[] = [];
  private readonly norms: Float64Array[] = [];
  private readonly owners: (StoredRecord | undefined)[] = [];
  private readonly free: number[] = [];
  private high = 0;
  // Scratch space reused by every scan, so a query allocates nothing proportional to the index.
  private readonly picked = new Int32Array(ROWS_PER_BLOCK);
  private readonly sums = new Float64Array(4);

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
    const q = Float64Array.from(query);
    const qq = dot(query, 0, q, dim);
    const picked = this.picked;
    const sums = this.sums;
    for (let b = 0; b < this.blocks.length; b++) {
      const block = this.blocks[b]!;
      const norms = this.norms[b]!;
      const base = b * ROWS_PER_BLOCK;
      // First the rows worth scoring (live, passing the filter), then the arithmetic in fours.
      let n = 0;
      const rows = Math.min(ROWS_PER_BLOCK, this.high - base);
      for (let i = 0; i < rows; i++) {
        const owner = this.owners[base + i];
        if (owner !== undefined && (accept === undefined || accept(owner))) picked[n++] = i;
      }
      for (let k = 0; k < n; k += 4) {
        const r0 = picked[k]!;
        // A short last group repeats its first row; the extra sums are ignored.
        const r1 = k + 1 < n ? picked[k + 1]! : r0;
        const r2 = k + 2 < n ? picked[k + 2]! : r0;
        const r3 = k + 3 < n ? picked[k + 3]! : r0;
        dot4Rows(block, r0 * dim, r1 * dim, r2 * dim, r3 * dim, q, dim, sums);
        for (let j = 0; j < 4 && k + j < n; j++) {
          const row = picked[k + j]!;
          const score = denseScore(similarity, sums[j]!, qq, norms[row]!);
          if (score >= top.floor) top.offer(score, this.owners[base + row]!);
        }
      }
    }
  }
}
