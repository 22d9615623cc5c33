/**
 * `npm run eval -- --dataset PATH --out FILE.json [--conversations N] [--mode episodes|extract] [--k 5,10]
 *                  [--url URL (--api-key KEY | --admin-token TOKEN)] [--verbose]`
 *
 * Retrieval quality of Engram itself, end to end through the public API, on a LoCoMo-format file
 * (locomo.ts). Without --url it starts its own local stack and Worker (`wrangler dev`) on free ports,
 * with the extraction debounce at 0, and stops them at the end (--verbose shows wrangler's output);
 * with --url it uses that deployment.
 * A fresh tenant (or the given key's tenant) and one fresh user per conversation; each user is erased
 * when its questions are done.
 *
 * Per conversation: every turn ingested (ingest.ts; --mode episodes = `infer: false`, extract = LLM
 * extraction), then every question except category 5 searched with its own text, top_k = the largest
 * k, and the ranked memories scored by their `source_ids` against the evidence (metrics.ts).
 * Progress on stderr, a table on stdout, and --out gets
 * `{dataset, mode, conversations, questions, turns, dropped, overall, by_category, seconds}` with
 * r_at_<k> and hit_at_<k> in percent and mrr in 0..1. The data is read at run time, never copied.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { Engram, EngramAdmin, EngramError } from '../../src/client';
import { startEngram, type LocalEngram } from '../local/engram';
import { LOCAL_TOKENS } from '../local/stack';
import { retryingFetch } from '../retrying-fetch';
import { ingestConversation, type Mode } from './ingest';
import { parseLocomo, type Conversation } from './locomo';
import { parseKs, Scoreboard, scoreQuestion } from './metrics';
import { progress } from './progress';
import { buildReport, renderTable } from './report';

const USAGE = 'usage: npm run eval -- --dataset PATH --out FILE.json [--conversations N] [--mode episodes|extract] [--k 5,10] [--url URL (--api-key KEY | --admin-token TOKEN)] [--verbose]';
/** Searches in flight at once; the machine may be small and shared. */
const SEARCH_CONCURRENCY = 4;

function options() {
  const { values } = parseArgs({
    options: {
      dataset: { type: 'string' }, out: { type: 'string' }, conversations: { type: 'string' }, mode: { type: 'string', default: 'episodes' },
      k: { type: 'string', default: '5,10' }, url: { type: 'string' }, 'api-key': { type: 'string' }, 'admin-token': { type: 'string' },
      verbose: { type: 'boolean', default: false },
    },
    strict: true,
  });
  const fail = (why: string): never => {
    throw new Error(`${why}\n${USAGE}`);
  };
  if (!values.dataset) fail('--dataset is required');
  if (!values.out) fail('--out is required');
  if (values.mode !== 'episodes' && values.mode !== 'extract') fail(`--mode is episodes or extract, not "${values.mode}"`);
  const limit = values.conversations === undefined ? Infinity : Number(values.conversations);
  if (!(limit >= 1) || (limit !== Infinity && !Number.isInteger(limit))) fail('--conversations takes a positive integer');
  if (values['api-key'] && !values.url) fail('--api-key goes with --url (without --url the eval starts its own stack)');
  if (values.url && !values['api-key'] && !values['admin-token'] && !process.env.ENGRAM_ADMIN_TOKEN) fail('--url needs --api-key or --admin-token');
  return {
    dataset: resolve(values.dataset!), out: resolve(values.out!), mode: values.mode as Mode, limit, ks: parseKs(values.k!),
    verbose: values.verbose!, url: values.url?.replace(/\/+$/, ''), apiKey: values['api-key'], adminToken: values['admin-token'] ?? process.env.ENGRAM_ADMIN_TOKEN,
  };
}

/** Runs `fn` over `items` with at most `n` in flight, keeping the order of results. */
async function pool<T, R>(items: T[], n: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i]!);
    }
  };
  await Promise.all(Array.from({ length: Math.min(n, items.length) }, worker));
  return out;
}

async function connect(opts: ReturnType<typeof options>, engram: LocalEngram | undefined): Promise<Engram> {
  if (opts.apiKey) return new Engram({ baseUrl: opts.url!, apiKey: opts.apiKey, fetch: retryingFetch() });
  const baseUrl = engram?.origin ?? opts.url!;
  const admin = new EngramAdmin({ baseUrl, adminToken: engram ? LOCAL_TOKENS.admin : opts.adminToken!, fetch: retryingFetch() });
  // Exempt from the rate limit: the eval sends many requests in a row.
  const minted = await admin.mintKey(`eval-${Date.now().toString(36)}`, { rate_limit: { requests: 0 } });
  return new Engram({ baseUrl, apiKey: minted.key, fetch: retryingFetch() });
}

async function evaluate(opts: ReturnType<typeof options>, api: Engram, conversations: Conversation[], dataset: string, dropped: ReturnType<typeof parseLocomo>['dropped']) {
  const started = Date.now();
  const board = new Scoreboard(opts.ks);
  const topK = opts.ks.at(-1)!;
  const run = Date.now().toString(36);
  const total = conversations.reduce((s, c) => s + c.sessions.reduce((t, x) => t + x.turns.length, 0) + c.questions.length, 0);
  const bar = progress(`eval ${opts.mode}`, total);
  let turns = 0;
  let eventsFailed = 0;
  for (const conv of conversations) {
    const userId = `locomo-${run}-${conv.id}`.replace(/[^A-Za-z0-9_.@+-]/g, '_').slice(0, 128);
    bar.tick(0, `${conv.id}: ingesting`);
    const stats = await ingestConversation(api, userId, conv, opts.mode, (n) => bar.tick(n));
    turns += stats.turns;
    eventsFailed += stats.eventsFailed;
    bar.tick(0, `${conv.id}: searching`);
    const scores = await pool(conv.questions, SEARCH_CONCURRENCY, async (q) => {
      const { results } = await api.memories.search({ user_id: userId, query: q.question, top_k: topK });
      bar.tick(1);
      return scoreQuestion(results.map((m) => m.source_ids ?? []), q.evidence, opts.ks);
    });
    conv.questions.forEach((q, i) => board.add(q.category, scores[i]!));
    await api.memories.deleteAll({ user_id: userId });
  }
  bar.done();
  const seconds = (Date.now() - started) / 1000;
  return buildReport({ dataset, mode: opts.mode, conversations: conversations.length, turns, dropped: { ...dropped, events_failed: eventsFailed }, seconds }, board);
}

async function main(): Promise<void> {
  const opts = options();
  const parsed = parseLocomo(JSON.parse(await readFile(opts.dataset, 'utf8')), opts.limit);
  const conversations = parsed.conversations;
  if (conversations.length === 0) throw new Error(`${opts.dataset}: no usable conversation`);

  let engram: LocalEngram | undefined;
  const stop = async () => engram?.stop();
  for (const sig of ['SIGINT', 'SIGTERM'] as const) process.on(sig, () => void stop().then(() => process.exit(130)));
  try {
    if (!opts.url) {
      process.stderr.write('starting the local stack and the Worker (wrangler dev)…\n');
      engram = await startEngram({ delivery: 'auto', qstashTimeScale: 100, varsVia: 'flags', output: opts.verbose ? 'stderr' : 'quiet', extraVars: { EXTRACT_DEBOUNCE_SECONDS: '0' } });
      await engram.ready;
    }
    const api = await connect(opts, engram);
    const report = await evaluate(opts, api, conversations, opts.dataset, parsed.dropped);
    await writeFile(opts.out, JSON.stringify(report, null, 2) + '\n');
    console.log(renderTable(report, opts.ks));
    process.stderr.write(`wrote ${opts.out}\n`);
  } finally {
    await stop();
  }
}

main().catch((err: unknown) => {
  console.error(err instanceof EngramError && err.status > 0 ? `${err.status} ${err.code}: ${err.message}` : err instanceof Error ? err.message : String(err));
  process.exit(1);
});
