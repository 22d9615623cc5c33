/**
 * Retrieval quality of the local Vector server's built-in text model on LoCoMo (no LLM).
 *
 *   npx tsx scripts/eval/text-model-locomo.ts [path/to/locomo.json] [--json]
 *
 * Protocol (shared/data/locomo/README.md, "turn as memory"): every turn of a conversation is one
 * record — text "Speaker: words" plus the image caption when there is one — upserted with the official
 * SDK through `upsert-data` into one namespace per conversation of a HYBRID index. Each question (except
 * category 5, adversarial) is asked with `query-data` in four ways: dense only, sparse (BM25) only, and
 * hybrid fused with RRF and with DBSF. Scores: R@k = |evidence ∩ top-k| / |evidence|, MRR over the top
 * 100, overall and per category. The data is read at run time and never copied (CC BY-NC 4.0).
 */
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { FusionAlgorithm, Index, QueryMode } from '@upstash/vector';
import { startVectorRest } from '../local/vector-rest.js';

interface Turn {
  speaker: string;
  dia_id: string;
  text: string;
  blip_caption?: string;
}
interface Qa {
  question: string;
  evidence: string[];
  category: number;
}
interface Conversation {
  sample_id: string;
  conversation: Record<string, unknown>;
  qa: Qa[];
}

const CATEGORIES: Record<number, string> = { 1: 'multi-hop', 2: 'temporal', 3: 'open-domain', 4: 'single-hop' };
const DEPTH = 100;
/** Report columns; an explicit list, since object keys that look like integers would sort first. */
const KEYS = ['all', '1', '2', '3', '4'] as const;
const MODES: { name: string; queryMode: QueryMode; fusionAlgorithm?: FusionAlgorithm }[] = [
  { name: 'dense', queryMode: QueryMode.DENSE },
  { name: 'sparse', queryMode: QueryMode.SPARSE },
  { name: 'hybrid RRF', queryMode: QueryMode.HYBRID, fusionAlgorithm: FusionAlgorithm.RRF },
  { name: 'hybrid DBSF', queryMode: QueryMode.HYBRID, fusionAlgorithm: FusionAlgorithm.DBSF },
];

function turnsOf(c: Conversation): { turn: Turn; session: number; date: string }[] {
  const out: { turn: Turn; session: number; date: string }[] = [];
  for (const [key, value] of Object.entries(c.conversation)) {
    const m = /^session_(\d+)$/.exec(key);
    if (!m || !Array.isArray(value)) continue;
    const date = String(c.conversation[`${key}_date_time`] ?? '');
    for (const turn of value as Turn[]) out.push({ turn, session: Number(m[1]), date });
  }
  return out;
}

function memoryText(t: Turn): string {
  return t.blip_caption ? `${t.speaker}: ${t.text} [image: ${t.blip_caption}]` : `${t.speaker}: ${t.text}`;
}

/**
 * Evidence ids as the dataset should have written them. Entries holding several ids ("D8:6; D9:17")
 * are split, a stray colon ("D:11:26") is dropped; ids that name no turn of the conversation are
 * discarded and counted.
 */
function normaliseEvidence(raw: string[], known: Set<string>, stats: { fixed: number; dropped: number }): string[] {
  const out = new Set<string>();
  for (const entry of raw) {
    const ids = entry.split(/[;,\s]+/).filter(Boolean).map((p) => {
      const m = /^D:?(\d+):(\d+)\.?$/.exec(p);
      return m ? `D${m[1]}:${m[2]}` : p;
    });
    if (ids.length !== 1 || ids[0] !== entry) stats.fixed++;
    for (const id of ids) {
      if (known.has(id)) out.add(id);
      else stats.dropped++;
    }
  }
  return [...out];
}

interface Tally {
  n: number;
  r5: number;
  r10: number;
  mrr: number;
}
const emptyTally = (): Tally => ({ n: 0, r5: 0, r10: 0, mrr: 0 });

function score(tally: Tally, ranked: string[], evidence: string[]): void {
  const recall = (k: number) => evidence.filter((e) => ranked.slice(0, k).includes(e)).length / evidence.length;
  const first = ranked.findIndex((id) => evidence.includes(id));
  tally.n++;
  tally.r5 += recall(5);
  tally.r10 += recall(10);
  tally.mrr += first === -1 ? 0 : 1 / (first + 1);
}

async function ingest(index: Index, c: Conversation): Promise<Set<string>> {
  const turns = turnsOf(c);
  const ns = index.namespace(c.sample_id);
  for (let i = 0; i < turns.length; i += 200) {
    const batch = turns.slice(i, i + 200).map(({ turn, session, date }) => ({
      id: turn.dia_id,
      data: memoryText(turn),
      metadata: { speaker: turn.speaker, session, date },
    }));
    await ns.upsert(batch);
  }
  return new Set(turns.map((t) => t.turn.dia_id));
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const path = resolve(args.find((a) => !a.startsWith('--')) ?? '../shared/data/locomo/locomo-dev.json');
  const conversations = JSON.parse(await readFile(path, 'utf8')) as Conversation[];
  const server = await startVectorRest({ token: 'eval', indexType: 'HYBRID' });
  const index = new Index({ url: server.url, token: 'eval' });
  const tallies = new Map(MODES.map((m) => [m.name, new Map<string, Tally>()]));
  const stats = { fixed: 0, dropped: 0, questions: 0, skipped: 0 };
  try {
    for (const c of conversations) {
      const known = await ingest(index, c);
      const ns = index.namespace(c.sample_id);
      for (const qa of c.qa.filter((q) => q.category !== 5)) {
        const evidence = normaliseEvidence(qa.evidence, known, stats);
        if (evidence.length === 0) {
          stats.skipped++;
          continue;
        }
        stats.questions++;
        const answers = await Promise.all(
          MODES.map((m) => ns.query({ data: qa.question, topK: DEPTH, queryMode: m.queryMode, ...(m.fusionAlgorithm && { fusionAlgorithm: m.fusionAlgorithm }) })),
        );
        MODES.forEach((m, i) => {
          const ranked = answers[i]!.map((r) => String(r.id));
          for (const key of ['all', String(qa.category)]) {
            const byCat = tallies.get(m.name)!;
            if (!byCat.has(key)) byCat.set(key, emptyTally());
            score(byCat.get(key)!, ranked, evidence);
          }
        });
      }
    }
  } finally {
    await server.close();
  }
  report(tallies, stats, path, args.includes('--json'));
}

function report(tallies: Map<string, Map<string, Tally>>, stats: Record<string, number>, path: string, json: boolean): void {
  const rows = [...tallies].map(([mode, byCat]) => {
    const cells: Record<string, { n: number; r5: number; r10: number; mrr: number }> = {};
    for (const key of KEYS) {
      const t = byCat.get(key) ?? emptyTally();
      cells[key] = { n: t.n, r5: (100 * t.r5) / (t.n || 1), r10: (100 * t.r10) / (t.n || 1), mrr: t.mrr / (t.n || 1) };
    }
    return { mode, cells };
  });
  if (json) {
    console.log(JSON.stringify({ path, stats, rows }, null, 2));
    return;
  }
  console.log(`LoCoMo turn-as-memory retrieval, ${path}`);
  console.log(`${stats.questions} questions (category 5 excluded; ${stats.skipped} without valid evidence skipped); evidence entries repaired (split or stray colon): ${stats.fixed}, ids dropped (not a turn of the conversation): ${stats.dropped}`);
  console.log('Reference, plain BM25: R@5 53.5  R@10 61.6  MRR 0.471\n');
  const head = ['mode'.padEnd(12), ...KEYS.map((k) => `${k === 'all' ? 'overall' : `${k} ${CATEGORIES[Number(k)]}`} (R@5/R@10/MRR)`.padEnd(27))];
  console.log(head.join(' '));
  for (const { mode, cells } of rows) {
    const line = KEYS.map((k) => cells[k]!).map((c) => `${c.r5.toFixed(1)} / ${c.r10.toFixed(1)} / ${c.mrr.toFixed(3)}`.padEnd(27));
    console.log([mode.padEnd(12), ...line].join(' '));
  }
}

await main();
