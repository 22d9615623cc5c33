/** The evaluation's result: the JSON written to --out, and the table printed on stdout. */
import type { Dropped } from './locomo';
import type { Scoreboard, Summary } from './metrics';

const CATEGORY_NAMES: Record<string, string> = { 1: 'multi-hop', 2: 'temporal', 3: 'open-domain', 4: 'single-hop' };

export interface EvalReport {
  dataset: string;
  mode: 'episodes' | 'extract';
  /** Number of conversations evaluated. */
  conversations: number;
  /** Number of questions scored (category 5 and questions without usable evidence left out). */
  questions: number;
  /** Turns ingested. */
  turns: number;
  dropped: Dropped & { events_failed: number };
  overall: Summary;
  by_category: Record<string, Summary & { questions: number }>;
  seconds: number;
}

export function buildReport(fields: Omit<EvalReport, 'overall' | 'by_category' | 'questions'>, board: Scoreboard): EvalReport {
  const { dataset, mode, conversations, turns, dropped, seconds } = fields;
  // Key order is the reading order of the file.
  return { dataset, mode, conversations, questions: board.overall.count, turns, dropped, overall: board.overall.summary(), by_category: board.categories(), seconds: Number(seconds.toFixed(1)) };
}

/** One row per category plus "overall": R@k and Hit@k in percent, MRR 0..1. */
export function renderTable(r: EvalReport, ks: readonly number[]): string {
  const cols = [...ks.map((k) => `R@${k}`), ...ks.map((k) => `Hit@${k}`), 'MRR', 'n'];
  const keys = [...ks.map((k) => `r_at_${k}`), ...ks.map((k) => `hit_at_${k}`), 'mrr'];
  const row = (name: string, s: Summary, n: number) =>
    [name.padEnd(16), ...keys.map((key) => (key === 'mrr' ? s[key]!.toFixed(3) : s[key]!.toFixed(1)).padStart(7)), String(n).padStart(6)].join(' ');
  const lines = [
    `LoCoMo retrieval, ${r.mode} mode — ${r.dataset}`,
    `${r.conversations} conversations, ${r.turns} turns, ${r.questions} questions scored, ${r.seconds.toFixed(1)} s`,
    '',
    ['category'.padEnd(16), ...cols.map((c) => c.padStart(c === 'n' ? 6 : 7))].join(' '),
  ];
  for (const [c, s] of Object.entries(r.by_category)) lines.push(row(`${c} ${CATEGORY_NAMES[c] ?? ''}`.trim(), s, s.questions));
  lines.push(row('overall', r.overall, r.questions));
  const dropped = Object.entries(r.dropped).filter(([, n]) => n > 0).map(([k, n]) => `${k.replace(/_/g, ' ')} ${n}`);
  lines.push('', `left out or repaired: ${dropped.length ? dropped.join(', ') : 'nothing'}`);
  return lines.join('\n');
}
