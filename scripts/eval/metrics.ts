/**
 * Retrieval metrics over ranked memories, each memory standing for the message ids it came from
 * (its `source_ids`). Pure; unit-tested in test/unit/eval-metrics.test.ts.
 *
 *   R@k    |evidence ∩ source ids of the top k| / |evidence| — the LoCoMo paper's fractional recall
 *   Hit@k  1 when the top k hold at least one evidence id, else 0
 *   MRR    1 / rank of the first memory holding an evidence id, 0 when none of the returned ones does
 *          (so it is MRR over the top max(k) the search was asked for)
 * Reported as means over questions: R@k and Hit@k in percent, MRR in 0..1.
 */

export interface QuestionScore {
  recall: Record<number, number>;
  hit: Record<number, number>;
  rr: number;
}

export function scoreQuestion(ranked: ReadonlyArray<readonly string[]>, evidence: readonly string[], ks: readonly number[]): QuestionScore {
  const wanted = new Set(evidence);
  const recall: Record<number, number> = {};
  const hit: Record<number, number> = {};
  const firstRank = ranked.findIndex((ids) => ids.some((id) => wanted.has(id)));
  for (const k of ks) {
    const found = new Set(ranked.slice(0, k).flat().filter((id) => wanted.has(id)));
    recall[k] = wanted.size === 0 ? 0 : found.size / wanted.size;
    hit[k] = found.size > 0 ? 1 : 0;
  }
  return { recall, hit, rr: firstRank === -1 ? 0 : 1 / (firstRank + 1) };
}

/** Means of question scores, with the key names of the report (r_at_5, hit_at_5, …, mrr). */
export type Summary = Record<string, number>;

export class Tally {
  private n = 0;
  private readonly recall = new Map<number, number>();
  private readonly hit = new Map<number, number>();
  private rr = 0;

  constructor(private readonly ks: readonly number[]) {}

  get count(): number {
    return this.n;
  }

  add(s: QuestionScore): void {
    this.n++;
    this.rr += s.rr;
    for (const k of this.ks) {
      this.recall.set(k, (this.recall.get(k) ?? 0) + (s.recall[k] ?? 0));
      this.hit.set(k, (this.hit.get(k) ?? 0) + (s.hit[k] ?? 0));
    }
  }

  summary(): Summary {
    const mean = (sum: number) => (this.n === 0 ? 0 : sum / this.n);
    const out: Summary = {};
    for (const k of this.ks) out[`r_at_${k}`] = round(100 * mean(this.recall.get(k) ?? 0), 2);
    for (const k of this.ks) out[`hit_at_${k}`] = round(100 * mean(this.hit.get(k) ?? 0), 2);
    out.mrr = round(mean(this.rr), 4);
    return out;
  }
}

const round = (x: number, digits: number) => Number(x.toFixed(digits));

/** Overall and per-category tallies; categories are kept as strings, sorted numerically in output. */
export class Scoreboard {
  readonly overall: Tally;
  private readonly byCategory = new Map<number, Tally>();

  constructor(private readonly ks: readonly number[]) {
    this.overall = new Tally(ks);
  }

  add(category: number, s: QuestionScore): void {
    this.overall.add(s);
    if (!this.byCategory.has(category)) this.byCategory.set(category, new Tally(this.ks));
    this.byCategory.get(category)!.add(s);
  }

  categories(): Record<string, Summary & { questions: number }> {
    const out: Record<string, Summary & { questions: number }> = {};
    for (const [c, t] of [...this.byCategory].sort((a, b) => a[0] - b[0])) out[String(c)] = { ...t.summary(), questions: t.count };
    return out;
  }
}

/** "5,10" → [5, 10]: positive integers, sorted, unique; throws on anything else. */
export function parseKs(text: string, max = 100): number[] {
  const ks = text.split(',').map((s) => s.trim()).filter(Boolean).map(Number);
  if (ks.length === 0 || ks.some((k) => !Number.isInteger(k) || k < 1 || k > max)) {
    throw new Error(`--k takes a comma-separated list of integers from 1 to ${max}, e.g. 5,10 (got "${text}")`);
  }
  return [...new Set(ks)].sort((a, b) => a - b);
}
