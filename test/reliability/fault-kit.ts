/**
 * The fault tests' client and auditor (faults.test.ts, and the fast slice test/worker/faults-slice.test.ts).
 *
 * `FaultyClient` sends ingests the way a careful app would: each message with its own id and
 * created_at, and a 503 retried (up to `attempts` times) with the very same messages — the id makes a
 * repeat harmless; an ingest still refused after that is kept and sent again later (`resendRefused`).
 * It keeps what Engram acknowledged with a 2xx (turns and event ids) and every answer it saw, and
 * checks each one: a 2xx, or a clean 503 UPSTREAM_UNAVAILABLE in the envelope — never a 500, never
 * another code, never an answer later than the hang bound.
 *
 * `audit` then reads (with the faults off) what became of the acknowledged work: turns missing from
 * their session buffer (lost), events not in a final state (stuck), failed events without a reason,
 * and turns that no extraction has covered yet (no episode memory holds them).
 */
import { expect } from 'vitest';
import { call, deliver, llm, qstash, redis, vector, type Delivery } from '../worker/helpers';

/** The Worker's upstream deadlines in the reliability project (vitest.reliability.config.ts). */
export const UPSTREAM_TIMEOUT_MS = 2500;
export const LLM_TIMEOUT_MS = 3000;
/**
 * The longest any answer may take under faults: a request makes at most a few sequential waves, each
 * cut at the deadline (the SDKs' own retries run inside it). Hung calls are held for 120 s, so an
 * upstream call without a deadline shows up far beyond this.
 */
export const HANG_BOUND_MS = 4 * UPSTREAM_TIMEOUT_MS;

export type Store = 'redis' | 'vector' | 'qstash' | 'llm';
export const STORES: Store[] = ['redis', 'vector', 'qstash', 'llm'];
const control = { redis, vector, qstash, llm };

export interface FaultSettings {
  delay_ms?: number;
  error_rate?: number;
  drop_rate?: number;
  timeout_rate?: number;
  seed?: number;
  match?: string;
}
const CALM = { delay_ms: 0, error_rate: 0, drop_rate: 0, timeout_rate: 0, match: '' };

/** Sets the same faults on `stores` and calms the others. */
export const setFaults = (stores: Store[], f: FaultSettings) => setFaultsEach(Object.fromEntries(stores.map((s) => [s, f])));

/** Sets each store's own faults and calms the stores not named. */
export async function setFaultsEach(each: Partial<Record<Store, FaultSettings>>): Promise<void> {
  await Promise.all(STORES.map((s) => control[s]('POST', '/_local/faults', { ...CALM, ...each[s] })));
}

/** Upstream calls each local server received (its request log; dropped and hung calls count too). */
export async function upstreamCalls(): Promise<Record<Store, number>> {
  const logs = await Promise.all(STORES.map((s) => control[s]('GET', '/_local/log')));
  return Object.fromEntries(STORES.map((s, i) => [s, (logs[i] as unknown[]).length])) as Record<Store, number>;
}

/** Per store: calls received, and how many of them the fault knob failed (5xx, dropped or hung: status 0). */
export async function upstreamTally(): Promise<Record<Store, { calls: number; faulted: number }>> {
  const logs = (await Promise.all(STORES.map((s) => control[s]('GET', '/_local/log')))) as Array<Array<{ status: number }>>;
  return Object.fromEntries(STORES.map((s, i) => [s, { calls: logs[i]!.length, faulted: logs[i]!.filter((e) => e.status === 0 || e.status >= 500).length }])) as Record<Store, { calls: number; faulted: number }>;
}
export const clearUpstreamLogs = () => Promise.all(STORES.map((s) => control[s]('DELETE', '/_local/log')));

export interface Answer {
  status: number;
  json: any;
  ms: number;
}

/** One Worker call, timed, checked to be a 2xx or a clean 503 within the hang bound. */
export async function cleanCall(what: string, method: string, path: string, opts: { key: string; body?: unknown }): Promise<Answer> {
  const started = performance.now();
  const res = await call(method, path, opts);
  const ms = performance.now() - started;
  const shown = `${what} → ${res.status} ${JSON.stringify(res.json)?.slice(0, 300)}`;
  expect(ms, `${what} took ${Math.round(ms)} ms`).toBeLessThan(HANG_BOUND_MS);
  if (res.status >= 300) {
    expect(res.status, shown).toBe(503);
    expect(res.json?.error, shown).toMatchObject({ code: 'UPSTREAM_UNAVAILABLE', message: expect.any(String), request_id: expect.any(String) });
  }
  return { status: res.status, json: res.json, ms };
}

export interface SentTurn {
  id: string;
  user: string;
  run: string;
  content: string;
}

type Message = { role: string; content: string; id: string; created_at: number };

export class FaultyClient {
  readonly acked: SentTurn[] = [];
  readonly events: string[] = [];
  readonly statuses: Record<string, number> = {};
  /** Ingests refused on every attempt (their turns are not acknowledged); `resendRefused` tries them again. */
  abandoned = 0;
  slowestMs = 0;
  private n = 0;
  private refused: Array<{ turns: SentTurn[]; messages: Message[] }> = [];

  constructor(
    readonly key: string,
    readonly baseTime: number,
    readonly attempts = 4,
  ) {}

  private tally(a: Answer) {
    this.statuses[a.status] = (this.statuses[a.status] ?? 0) + 1;
    this.slowestMs = Math.max(this.slowestMs, a.ms);
  }

  /** One async ingest of `texts` into (user, run), retried on 503 with the same messages. */
  async ingest(user: string, run: string, texts: string[], attempts = this.attempts): Promise<boolean> {
    const turns = texts.map((content) => ({ id: `m-${user}-${run}-${this.n++}`, user, run, content }));
    const messages = turns.map((t, i) => ({ role: i % 2 ? 'assistant' : 'user', content: t.content, id: t.id, created_at: this.baseTime + this.n * 1000 + i }));
    return this.send(turns, messages, attempts);
  }

  /** Sends every refused ingest again, same messages (what an app does once the upstream is back). */
  async resendRefused(): Promise<void> {
    const refused = this.refused.splice(0);
    for (const r of refused) await this.send(r.turns, r.messages, this.attempts);
  }

  private async send(turns: SentTurn[], messages: Message[], attempts: number): Promise<boolean> {
    const [user, run] = [turns[0]!.user, turns[0]!.run];
    for (let attempt = 0; attempt < attempts; attempt++) {
      const a = await cleanCall(`ingest ${turns[0]?.id}`, 'POST', '/v1/memories', { key: this.key, body: { user_id: user, run_id: run, messages } });
      this.tally(a);
      if (a.status === 202) {
        this.acked.push(...turns);
        this.events.push(a.json.event_id);
        return true;
      }
    }
    this.abandoned++;
    this.refused.push({ turns, messages });
    return false;
  }

  /** A read on the hot path (context, search or list), checked the same way. */
  async read(kind: 'context' | 'search' | 'list', user: string, run: string): Promise<Answer> {
    const a =
      kind === 'context'
        ? await cleanCall('context', 'POST', '/v1/context', { key: this.key, body: { user_id: user, run_id: run, query: 'what do I like?' } })
        : kind === 'search'
          ? await cleanCall('search', 'POST', '/v1/memories/search', { key: this.key, body: { user_id: user, query: 'what do I like?' } })
          : await cleanCall('list', 'GET', `/v1/memories?user_id=${user}&limit=1000`, { key: this.key });
    this.tally(a);
    return a;
  }
}

export interface Audit {
  acked_turns: number;
  acked_events: number;
  /** Acknowledged turns missing from their session buffer: must be 0. */
  lost_turns: number;
  /** The same turn twice in a buffer (a retried ingest must not duplicate). */
  duplicated_turns: number;
  succeeded: number;
  failed: number;
  /** Acknowledged events neither succeeded nor failed after the drain. */
  stuck: string[];
  /** Failed events without a reason, or merged into an event that never ran. */
  unexplained: string[];
  /** Acknowledged turns that no extraction has covered yet (no episode memory). */
  unextracted: number;
}

/** Reads everything back; call it with the faults off. */
export async function audit(client: FaultyClient): Promise<Audit> {
  const { key } = client;
  const sessions = new Map<string, SentTurn[]>();
  for (const t of client.acked) sessions.set(`${t.user}|${t.run}`, [...(sessions.get(`${t.user}|${t.run}`) ?? []), t]);
  let lost = 0;
  let duplicated = 0;
  let unextracted = 0;
  for (const [scope, turns] of sessions) {
    const [user, run] = scope.split('|') as [string, string];
    const buffer = await call('GET', `/v1/sessions/${run}/messages?user_id=${user}&limit=1000`, { key });
    expect(buffer.status).toBe(200);
    const ids = (buffer.json.messages as Array<{ id: string }>).map((m) => m.id);
    lost += turns.filter((t) => !ids.includes(t.id)).length;
    duplicated += ids.length - new Set(ids).size;
    const episodes = await listAll(key, `user_id=${user}&run_id=${run}`);
    const covered = new Set(episodes.filter((m) => m.kind === 'episode').flatMap((m) => m.source_ids as string[]));
    unextracted += turns.filter((t) => !covered.has(t.id)).length;
  }
  const out: Audit = { acked_turns: client.acked.length, acked_events: client.events.length, lost_turns: lost, duplicated_turns: duplicated, succeeded: 0, failed: 0, stuck: [], unexplained: [], unextracted };
  for (const id of client.events) {
    const ev = await call('GET', `/v1/events/${id}`, { key });
    const status = ev.status === 200 ? ev.json.status : `http ${ev.status}`;
    if (status === 'succeeded') out.succeeded++;
    else if (status === 'failed') out.failed++;
    else out.stuck.push(`${id}: ${status}`);
    if (status === 'failed' && !ev.json.error) out.unexplained.push(`${id}: failed without a reason`);
    if (status === 'succeeded' && ev.json.merged_into) {
      const into = await call('GET', `/v1/events/${ev.json.merged_into}`, { key });
      if (into.status !== 200 || !['succeeded', 'failed'].includes(into.json.status)) out.unexplained.push(`${id}: merged into ${ev.json.merged_into}, which is ${into.status === 200 ? into.json.status : 'unknown'}`);
    }
  }
  return out;
}

/** Every memory of a scope, all pages, invalidated and expired ones included. */
export async function listAll(key: string, scopeQuery: string): Promise<any[]> {
  const out: any[] = [];
  let cursor: string | null = '0';
  while (cursor !== null) {
    const res = await call('GET', `/v1/memories?${scopeQuery}&include_invalidated=true&include_expired=true&limit=1000&cursor=${cursor}`, { key });
    expect(res.status, JSON.stringify(res.json)).toBe(200);
    out.push(...res.json.results);
    cursor = res.json.next_cursor;
  }
  return out;
}

/** One line a run can be quoted from: what the client saw, what the audit found, what each store received. */
export function report(label: string, client: FaultyClient, result: Audit, tally?: Record<Store, { calls: number; faulted: number }>): void {
  const { stuck, unexplained, ...counts } = result;
  const figures = { statuses: client.statuses, abandoned: client.abandoned, slowest_ms: Math.round(client.slowestMs), ...counts, stuck: stuck.length, unexplained: unexplained.length, ...(tally && { upstream: tally }) };
  console.log(`[faults] ${label}: ${JSON.stringify(figures)}`);
}

/**
 * Delivers everything due, retries included, with whatever faults are on: QStash's clock moves past
 * every backoff, and the deliveries due together go out together, as QStash sends them.
 */
export async function drain(): Promise<void> {
  for (let round = 0; round < 40; round++) {
    await qstash('POST', '/_local/clock', { advance_ms: 3_600_000 });
    const due: Delivery[] = await qstash('POST', '/_local/qstash/pull', {});
    if (due.length === 0) return;
    const statuses = await Promise.all(due.map(async (d) => (await deliver(d)).status));
    for (const s of statuses) expect([200, 489, 503], `job answered ${s}`).toContain(s);
  }
  throw new Error('queue did not drain');
}

/** What QStash does between ingests: the debounce passes, the jobs due are delivered, all at once. */
export async function tick(): Promise<void> {
  await qstash('POST', '/_local/clock', { advance_ms: 3_000 });
  const due: Delivery[] = await qstash('POST', '/_local/qstash/pull', {});
  const answers = await Promise.all(due.map(async (d) => {
    const started = performance.now();
    const res = await deliver(d);
    return { status: res.status, ms: performance.now() - started };
  }));
  for (const a of answers) {
    expect([200, 489, 503], `job answered ${a.status}`).toContain(a.status);
    expect(a.ms, `a job took ${Math.round(a.ms)} ms`).toBeLessThan(HANG_BOUND_MS);
  }
}

export function expectNothingLost(a: Audit) {
  expect(a.lost_turns, 'acknowledged turns missing from their buffer').toBe(0);
  expect(a.duplicated_turns, 'turns buffered twice').toBe(0);
  expect(a.stuck, 'acknowledged events not final after the drain').toEqual([]);
  expect(a.unexplained).toEqual([]);
  expect(a.succeeded + a.failed).toBe(a.acked_events);
}

/** After the faults: refused ingests sent again, one more ingest per session, drained: every acknowledged turn covered. */
export async function recover(client: FaultyClient, scopes: Array<[string, string]>) {
  await client.resendRefused();
  for (const [u, r] of scopes) expect(await client.ingest(u, r, ['thanks, that is all'])).toBe(true);
  await drain();
  const after = await audit(client);
  expect(after.unextracted, 'acknowledged turns no extraction covered').toBe(0);
  expect(after.lost_turns).toBe(0);
  expectNothingLost(after);
  return after;
}
