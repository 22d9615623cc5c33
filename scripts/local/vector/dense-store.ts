/**
 * Dense vectors of one namespace, as float32 rows in the namespace's own WebAssembly memory (so the
 * SIMD kernel of simd.ts reads them in place), with squared norms kept alongside in float64.
 *
 * Memory layout (byte offsets): [query row][row list: CHUNK × i32][results: CHUNK × f32][rows…].
 * Rows are the dimension rounded up to 16 floats, zero-padded. The memory starts at one 64 KiB page
 * and doubles as rows are added, so a namespace with three memories costs 64 KiB, not megabytes.
 * Rows freed by deletes are reused. A query writes only the query row and the scratch lists: nothing
 * proportional to the index is allocated per query.
 */
import { denseScore } from './scoring.js';
import { dotsKernel, type DotsKernel } from './simd.js';
import type { TopK } from './top-k.js';
import type { Similarity, StoredRecord } from './types.js';

/** Rows handed to the kernel per call. */
const CHUNK = 1024;
const PAGE = 65536;

export class DenseStore {
  /** Floats per stored row. */
  private readonly stride: number;
  private readonly listAt: number;
  private readonly outAt: number;
  private readonly rowsAt: number;
  private memory!: WebAssembly.Memory;
  private dots!: DotsKernel;
  private f32!: Float32Array;
  private i32!: Int32Array;
  private capacity = 0;
  private norms = new Float64Array(0);
  private owners: (StoredRecord | undefined)[] = [];
  private free: number[] = [];
  private high = 0;
  /** Per scan chunk: whether each listed row passed the filter. */
  private readonly passed = new Uint8Array(CHUNK);

  constructor(readonly dimension: number) {
    this.stride = Math.ceil(dimension / 16) * 16;
    this.listAt = this.stride * 4;
    this.outAt = this.listAt + CHUNK * 4;
    this.rowsAt = this.outAt + CHUNK * 4;
    this.clear();
  }

  clear(): void {
    this.memory = new WebAssembly.Memory({ initial: 1 });
    this.dots = dotsKernel(this.memory);
    this.capacity = Math.max(0, Math.floor((PAGE - this.rowsAt) / (this.stride * 4)));
    this.norms = new Float64Array(this.capacity);
    this.owners = [];
    this.free = [];
    this.high = 0;
    this.refreshViews();
  }

  /** Typed-array views die when the memory grows; make new ones. */
  private refreshViews(): void {
    this.f32 = new Float32Array(this.memory.buffer);
    this.i32 = new Int32Array(this.memory.buffer);
  }

  private ensureCapacity(rows: number): void {
    if (rows <= this.capacity) return;
    const want = Math.max(rows, this.capacity * 2, 16);
    const bytes = this.rowsAt + want * this.stride * 4;
    this.memory.grow(Math.ceil(bytes / PAGE) - this.memory.buffer.byteLength / PAGE);
    this.capacity = Math.floor((this.memory.buffer.byteLength - this.rowsAt) / (this.stride * 4));
    const norms = new Float64Array(this.capacity);
    norms.set(this.norms);
    this.norms = norms;
    this.refreshViews();
  }

  private allocate(): number {
    const reused = this.free.pop();
    if (reused !== undefined) return reused;
    this.ensureCapacity(this.high + 1);
    return this.high++;
  }

  private rowStart(row: number): number {
    return this.rowsAt / 4 + row * this.stride;
  }

  /** Writes `values` (already checked to have `dimension` components) to `slot`, or to a new row. */
  write(slot: number, values: Float32Array, owner: StoredRecord): number {
    const row = slot >= 0 ? slot : this.allocate();
    const start = this.rowStart(row);
    this.f32.set(values, start);
    this.f32.fill(0, start + this.dimension, start + this.stride);
    // The norm goes through the same kernel as queries, so self-similarity is exact (see simd.ts).
    this.i32[this.listAt / 4] = row;
    this.dots(start * 4, this.rowsAt, this.listAt, 1, this.stride * 4, this.outAt);
    this.norms[row] = this.f32[this.outAt / 4]!;
    this.owners[row] = owner;
    return row;
  }

  read(slot: number): Float32Array {
    const start = this.rowStart(slot);
    return this.f32.slice(start, start + this.dimension);
  }

  release(slot: number): void {
    if (slot < 0 || this.owners[slot] === undefined) return;
    this.owners[slot] = undefined;
    this.free.push(slot);
  }

  /** Offers every live row that `accept`s to `top`, scored against `query`. */
  scan(query: Float32Array, similarity: Similarity, accept: ((r: StoredRecord) => boolean) | undefined, top: TopK<StoredRecord>): void {
    const { f32, i32, stride } = this;
    f32.set(query, 0);
    f32.fill(0, this.dimension, stride);
    i32[this.listAt / 4] = 0;
    this.dots(0, 0, this.listAt, 1, stride * 4, this.outAt);
    const qq = f32[this.outAt / 4]!;
    const list = this.listAt / 4;
    const out = this.outAt / 4;
    const passed = this.passed;
    for (let start = 0; start < this.high; start += CHUNK) {
      const end = Math.min(this.high, start + CHUNK);
      let n = 0;
      let accepted = 0;
      for (let row = start; row < end; row++) {
        const owner = this.owners[row];
        if (owner === undefined) continue;
        const ok = accept === undefined || accept(owner);
        passed[n] = ok ? 1 : 0;
        if (ok) accepted++;
        i32[list + n++] = row;
      }
      if (accepted === 0) continue;
      // Memory bandwidth is the limit: reading every other row costs more than reading them all. So a
      // chunk where most rows pass is scored whole; a sparse one only on its passing rows.
      if (accepted * 2 < n) n = this.keepPassed(n);
      this.dots(0, this.rowsAt, this.listAt, n, stride * 4, this.outAt);
      for (let j = 0; j < n; j++) {
        if (passed[j] === 0) continue;
        const row = i32[list + j]!;
        const score = denseScore(similarity, f32[out + j]!, qq, this.norms[row]!);
        if (score >= top.floor) top.offer(score, this.owners[row]!);
      }
    }
  }

  /** Compacts the row list to the rows marked in `passed`; returns their number. */
  private keepPassed(n: number): number {
    const list = this.listAt / 4;
    let kept = 0;
    for (let j = 0; j < n; j++) {
      if (this.passed[j] === 0) continue;
      this.i32[list + kept] = this.i32[list + j]!;
      this.passed[kept++] = 1;
    }
    return kept;
  }
}
