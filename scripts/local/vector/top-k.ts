/**
 * A bounded selection of the best `k` items by score, ties broken by insertion order (lower `seq`
 * first — UPSTASH_PROTOCOLS.md §4 item 11: our decision). A binary min-heap on parallel arrays, so a
 * scan over 100k vectors allocates nothing per vector.
 */
export interface Ranked<T> {
  item: T;
  score: number;
}

export class TopK<T extends { seq: number }> {
  private readonly scores: Float64Array;
  private readonly items: T[] = [];

  constructor(readonly k: number) {
    this.scores = new Float64Array(Math.max(1, k));
  }

  get size(): number {
    return this.items.length;
  }

  /** True when (sa, a) ranks below (sb, b). */
  private worse(sa: number, a: T, sb: number, b: T): boolean {
    return sa < sb || (sa === sb && a.seq > b.seq);
  }

  /** The lowest score kept, or -Infinity while there is room: a cheap pre-check for callers. */
  get floor(): number {
    return this.items.length < this.k ? -Infinity : this.scores[0]!;
  }

  offer(score: number, item: T): void {
    const n = this.items.length;
    if (this.k <= 0) return;
    if (n < this.k) {
      this.items.push(item);
      this.scores[n] = score;
      this.siftUp(n);
    } else if (this.worse(this.scores[0]!, this.items[0]!, score, item)) {
      this.items[0] = item;
      this.scores[0] = score;
      this.siftDown(0);
    }
  }

  private swap(i: number, j: number): void {
    const s = this.scores[i]!;
    this.scores[i] = this.scores[j]!;
    this.scores[j] = s;
    const t = this.items[i]!;
    this.items[i] = this.items[j]!;
    this.items[j] = t;
  }

  private siftUp(i: number): void {
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (!this.worse(this.scores[i]!, this.items[i]!, this.scores[p]!, this.items[p]!)) return;
      this.swap(i, p);
      i = p;
    }
  }

  private siftDown(i: number): void {
    const n = this.items.length;
    for (;;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let m = i;
      if (l < n && this.worse(this.scores[l]!, this.items[l]!, this.scores[m]!, this.items[m]!)) m = l;
      if (r < n && this.worse(this.scores[r]!, this.items[r]!, this.scores[m]!, this.items[m]!)) m = r;
      if (m === i) return;
      this.swap(i, m);
      i = m;
    }
  }

  /** The kept items, best first. */
  sorted(): Ranked<T>[] {
    const out = this.items.map((item, i) => ({ item, score: this.scores[i]! }));
    return out.sort((a, b) => b.score - a.score || a.item.seq - b.item.seq);
  }
}
