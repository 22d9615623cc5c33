/**
 * `npm run demo`: a short story told to a running Engram (start it first with `npm start`), printing
 * what Engram remembers after each step.
 *
 * Sam talks to an assistant over two months; every message carries its own `created_at`, so the
 * sessions are days and weeks apart even though the demo runs in seconds. It shows background
 * extraction (202, then the event), search across sessions, a fact that changes over time (current
 * value, `as_of` a past date, the history of the old fact), the same facts as a knowledge graph (entities,
 * edges, the closed edge), and erasing the user at the end.
 *
 * ENGRAM_URL (default http://127.0.0.1:8787) and ENGRAM_ADMIN_TOKEN (default: npm start's token)
 * point it elsewhere. The tenant is new on every run; its key is revoked at the end.
 */
import { type AddMemoriesRequest, Engram, EngramAdmin, EngramError, type EntityAnswer, type Event, type Memory } from '../src/client';
import { LOCAL_TOKENS } from './local/stack';
import { retryingFetch } from './retrying-fetch';

const BASE = (process.env.ENGRAM_URL ?? 'http://127.0.0.1:8787').replace(/\/+$/, '');
const ADMIN = process.env.ENGRAM_ADMIN_TOKEN ?? LOCAL_TOKENS.admin;
/** npm start delivers the extraction job after a 2 s debounce; the local rule-based model answers at once. */
const EVENT_TIMEOUT_MS = 30_000;
const DAY = 86_400_000;
const USER = 'sam';

type Message = AddMemoriesRequest['messages'][number];

const bold = (s: string) => (process.stdout.isTTY ? `\x1b[1m${s}\x1b[0m` : s);
const dim = (s: string) => (process.stdout.isTTY ? `\x1b[2m${s}\x1b[0m` : s);
const day = (ms: number) => new Date(ms).toLocaleDateString('en-GB', { weekday: 'short', day: 'numeric', month: 'short', year: 'numeric', timeZone: 'UTC' });
const isoDay = (iso?: string) => (iso ? day(Date.parse(iso)) : '—');

function chapter(title: string, when?: number): void {
  console.log(`\n${bold(`── ${title}`)}${when === undefined ? '' : dim(`   (${day(when)})`)}`);
}

function said(messages: Message[]): void {
  for (const m of messages) console.log(`   ${m.role === 'user' ? 'Sam' : 'Assistant'}: “${m.content}”`);
}

function memories(list: Array<Memory & { score?: number }>, opts: { validity?: boolean } = {}): void {
  if (list.length === 0) console.log('   (nothing)');
  for (const m of list) {
    const span = opts.validity ? dim(`  valid ${isoDay(m.valid_at)} → ${m.invalid_at ? isoDay(m.invalid_at) : 'now'}`) : '';
    const score = m.score === undefined ? '' : dim(`  score ${m.score.toFixed(3)}`);
    console.log(`   • ${m.memory}  ${dim(`[${m.kind}]`)}${score}${span}`);
  }
}

function outcome(ev: Event): void {
  if (ev.status === 'failed') throw new Error(`extraction failed: ${ev.error ?? 'no reason given'}`);
  for (const r of ev.results) {
    const was = r.previous && r.previous !== r.memory ? dim(`  (was: ${r.previous})`) : '';
    console.log(`   ${r.event.padEnd(10)} ${r.memory}${was}`);
  }
  console.log(dim(`   ${ev.usage.llm_calls} LLM call(s), ${ev.usage.prompt_tokens} prompt + ${ev.usage.completion_tokens} completion tokens`));
}

type Edge = EntityAnswer['facts'][number];

/** `user —works_at→ Anthropic`; a fact without a triple shows its text. */
const edge = (e: Edge) => (e.subject && e.predicate && e.object ? `${e.subject} —${e.predicate}→ ${e.object}` : e.fact);
/** `works_at Anthropic`: the edge without its subject. */
const relation = (e: Edge) => (e.predicate && e.object ? `${e.predicate} ${e.object}` : e.fact);

/** The facts as a graph: the scope's entities, then "user" (the subject the extraction gives Sam's own facts). */
async function knowledgeGraph(api: Engram, past: number): Promise<void> {
  const { entities } = await api.entities.list({ user_id: USER });
  console.log(`   Entities ${dim('(facts linked to each)')}: ${entities.map((e) => `${e.name} ${dim(String(e.facts))}`).join(' · ')}`);
  const user = await api.entities.get('user', { user_id: USER, include_history: true });
  console.log(`   “user” (${user.entity.type}, Sam's own facts) — ${user.facts_total} current edges:`);
  for (const e of user.facts) console.log(`   • ${edge(e)}  ${dim(`valid ${isoDay(e.valid_at)} → now`)}`);
  console.log('   Closed edges (include_history), kept with their validity:');
  for (const e of user.history ?? []) {
    const next = user.facts.find((f) => f.predicate === e.predicate && f.valid_at === e.invalid_at);
    console.log(`   • ${edge(e)}  ${dim(`valid ${isoDay(e.valid_at)} → ${isoDay(e.invalid_at ?? undefined)}${next ? `, closed when ${relation(next)} began` : ''}`)}`);
  }
  const then = await api.entities.get('user', { user_id: USER, as_of: new Date(past).toISOString() });
  console.log(`   “user” as of ${day(past)} (as_of): ${then.facts.map(relation).join(' · ')}`);
  console.log(dim(`   neighbours of “user”: ${user.neighbours.map((n) => n.name).join(', ')}`));
}

async function checkRunning(): Promise<void> {
  let res: Response;
  try {
    res = await fetch(`${BASE}/health`, { signal: AbortSignal.timeout(3000) });
  } catch {
    console.error(`Engram is not running at ${BASE}. Start it first with \`npm start\` (in another terminal), then run \`npm run demo\` again.`);
    process.exit(1);
  }
  if (!res.ok) {
    console.error(`Engram at ${BASE} answers /health with ${res.status}: ${await res.text()}\nFix the stack (see the \`npm start\` terminal) and try again.`);
    process.exit(1);
  }
}

async function main(): Promise<void> {
  await checkRunning();
  const admin = new EngramAdmin({ baseUrl: BASE, adminToken: ADMIN, fetch: retryingFetch() });
  const tenant = `demo-${Date.now().toString(36)}`;
  // Exempt from the rate limit: the demo's calls come in a quick burst.
  const minted = await admin.mintKey(tenant, { rate_limit: { requests: 0 } }).catch((err: unknown) => {
    if (err instanceof EngramError && (err.status === 401 || err.status === 403)) throw new Error(`the admin token was refused: set ENGRAM_ADMIN_TOKEN to the Worker's ADMIN_TOKEN`);
    throw err;
  });
  const api = new Engram({ baseUrl: BASE, apiKey: minted.key, fetch: retryingFetch() });
  console.log(`Engram at ${BASE} · new tenant ${bold(tenant)} · user "${USER}"`);

  // The story's clock: session one was eight weeks ago, the last one today.
  const today = Date.now();
  const at = (daysAgo: number) => today - daysAgo * DAY;
  const msg = (role: Message['role'], content: string, when: number): Message => ({ role, content, created_at: new Date(when).toISOString() });

  try {
    const s1 = at(56);
    chapter('Session 1 — Sam introduces themself', s1);
    const first = [msg('user', "Hi! I'm allergic to peanuts, so please keep that in mind.", s1), msg('assistant', "Noted — I'll remember that.", s1 + 60_000)];
    said(first);
    const queued = await api.memories.add({ user_id: USER, run_id: 'session-1', messages: first });
    console.log(dim(`   → 202 ${JSON.stringify(queued)}: the turns are stored; extraction runs in the background (QStash)`));
    console.log(dim('   waiting for the extraction job (after a short debounce)…'));
    outcome(await api.events.wait(queued.event_id, { timeoutMs: EVENT_TIMEOUT_MS }).catch((err: unknown) => {
      throw new Error(`${err instanceof Error ? err.message : err}. Is QStash delivering? \`npm start\` delivers by itself; check its terminal for errors.`);
    }));

    const s2 = at(53);
    chapter('Session 2, three days later — a new conversation', s2);
    said([msg('user', 'Suggest a snack for me', s2)]);
    console.log('   Before answering, the app asks Engram what it knows that is relevant:');
    memories((await api.memories.search({ user_id: USER, query: 'Suggest a snack for me', kinds: ['fact', 'preference'], top_k: 3 })).results);

    const s3 = at(49);
    chapter('Session 3, a week later', s3);
    const work = [msg('user', 'I work at Google as a software engineer.', s3)];
    said(work);
    console.log(dim('   (mode "sync": extraction runs inline and the answer carries its results)'));
    outcome(await api.memories.add({ user_id: USER, run_id: 'session-3', messages: work, mode: 'sync' }));

    const s4 = at(14);
    chapter('Session 4, five weeks later — things change', s4);
    const moved = [msg('user', 'Big news: I just started at Anthropic!', s4)];
    said(moved);
    outcome(await api.memories.add({ user_id: USER, run_id: 'session-4', messages: moved, mode: 'sync' }));

    chapter('Today — what does Engram know?', today);
    const where = 'Where does Sam work?';
    console.log(`   “${where}” — current facts:`);
    const current = (await api.memories.search({ user_id: USER, query: where, kinds: ['fact'], top_k: 3 })).results;
    memories(current, { validity: true });
    const between = at(30);
    console.log(`   The same question as of ${day(between)} (as_of):`);
    memories((await api.memories.search({ user_id: USER, query: where, kinds: ['fact'], top_k: 3, as_of: new Date(between).toISOString() })).results, { validity: true });

    const all = (await api.memories.list({ user_id: USER, include_invalidated: true, limit: 1000 })).results;
    const google = all.find((m) => /google/i.test(m.memory) && m.kind !== 'episode');
    if (google) {
      console.log(`   History of “${google.memory}” (${google.id}), stamped when Engram recorded each change:`);
      for (const h of (await api.memories.history(google.id)).history) {
        console.log(`   ${h.at.slice(0, 19).replace('T', ' ')}  ${h.event.padEnd(10)} v${h.version}  ${h.memory ?? ''}`);
      }
      const successor = all.find((m) => m.id === google.superseded_by);
      if (successor) console.log(dim(`   superseded by “${successor.memory}”; invalid since ${isoDay(google.invalid_at)} — kept, not deleted`));
    }
    const facts = all.filter((m) => m.kind !== 'episode');
    console.log(`   Everything stored for ${USER}: ${facts.length} facts/preferences (current and past), ${all.length - facts.length} episodes (the raw turns)`);

    chapter('The knowledge graph — the same facts as entities and edges');
    await knowledgeGraph(api, between);
  } finally {
    chapter('Cleaning up');
    const erased = await api.memories.deleteAll({ user_id: USER });
    await admin.revokeKey(minted.key_id);
    console.log(`   erased user "${USER}" from every store (${erased.deleted} memories) and revoked the demo key`);
  }
}

main().catch((err: unknown) => {
  const why = err instanceof EngramError && err.status > 0 ? `${err.status} ${err.code}: ${err.message}` : err instanceof Error ? err.message : String(err);
  console.error(`\ndemo failed: ${why}`);
  process.exit(1);
});
