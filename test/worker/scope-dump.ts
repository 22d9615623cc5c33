/**
 * A full dump of one user's state as the API shows it, for tests that compare two runs of one scenario
 * (at-least-once) or one scope before and after something that must not touch it (erase of another user).
 *
 * `dumpScope` reads, in a fixed order: every memory of the user (all pages, invalidated and expired
 * included), each memory's history (also for ids no longer listed — deleted, expired or merged ones —
 * that events or history rows name), every given event, the session buffer of every given run, and
 * every block the user holds with its history. Nothing volatile is dropped: times stay in.
 *
 * `canonical` makes two users' dumps comparable: the user id becomes `<user>`, and memory and event
 * ids — which embed the user (memory ids hash the scope) or are random (event ids) — become labels.
 * Events are labelled by their position in the scenario (the caller lists them in creation order);
 * memories by the order of a user-independent key (their whole content and history with ids blanked),
 * so the labelling does not depend on the ids themselves.
 */
import { call } from './helpers';
import { type RawValue, scopeKeys } from './store-scan';

export interface DumpTarget {
  key: string;
  user_id: string;
  /** The scenario's events, in the order it created them. */
  event_ids: string[];
  /** Sessions whose buffers to read. */
  run_ids: string[];
  /** Memory ids to read history for even when nothing else names them. */
  memory_ids?: string[];
  /** With the tenant, the dump also holds the scope's raw Redis keys (store-scan.ts scopeKeys). */
  tenant?: string;
}

export interface ScopeDump {
  memories: Array<Record<string, unknown>>;
  history: Record<string, { status: number; body: unknown }>;
  events: Array<{ id: string; status: number; body: unknown }>;
  sessions: Array<{ run_id: string; status: number; body: unknown }>;
  blocks: Array<{ label: string; block: unknown; history: unknown }>;
  raw?: Record<string, { type: string; value: RawValue }>;
}

const MEMORY_ID = /mem_[0-9a-f]{28}/g;
const EVENT_ID = /evt_[0-9a-f]{24}(?:-next)*/g;

async function ok(method: string, path: string, key: string) {
  const res = await call(method, path, { key });
  if (res.status !== 200) throw new Error(`${method} ${path}: ${res.status} ${JSON.stringify(res.json)}`);
  return res.json;
}

async function allMemories(key: string, user: string): Promise<Array<Record<string, unknown>>> {
  const out: Array<Record<string, unknown>> = [];
  let cursor = '';
  do {
    const page = await ok('GET', `/v1/memories?user_id=${user}&include_invalidated=true&include_expired=true&limit=7${cursor && `&cursor=${cursor}`}`, key);
    out.push(...page.results);
    cursor = page.next_cursor ?? '';
  } while (cursor !== '');
  return out.sort((a, b) => String(a.id).localeCompare(String(b.id)));
}

/** A refusal is kept as its status and code: its request id differs on every call. */
const outcome = (res: { status: number; json: any }) => ({ status: res.status, body: res.status === 200 ? res.json : { code: res.json?.error?.code } });

const idsIn = (value: unknown): string[] => JSON.stringify(value).match(MEMORY_ID) ?? [];

export async function dumpScope(t: DumpTarget): Promise<ScopeDump> {
  const memories = await allMemories(t.key, t.user_id);
  const events = [];
  for (const id of t.event_ids) {
    const res = await call('GET', `/v1/events/${id}`, { key: t.key });
    events.push({ id, ...outcome(res) });
  }
  // History for every id anything names; rows can name further ids (supersedes), so repeat to a fixed point.
  const history: ScopeDump['history'] = {};
  let wanted = [...new Set([...memories.map((m) => String(m.id)), ...idsIn(events), ...(t.memory_ids ?? [])])];
  while (wanted.length > 0) {
    for (let i = 0; i < wanted.length; i += 8) {
      const batch = wanted.slice(i, i + 8);
      const answers = await Promise.all(batch.map((id) => call('GET', `/v1/memories/${id}/history`, { key: t.key })));
      batch.forEach((id, j) => (history[id] = outcome(answers[j]!)));
    }
    wanted = [...new Set(idsIn(history))].filter((id) => !(id in history));
  }
  const sessions = [];
  for (const run of t.run_ids) {
    const res = await call('GET', `/v1/sessions/${run}/messages?user_id=${t.user_id}`, { key: t.key });
    sessions.push({ run_id: run, ...outcome(res) });
  }
  const blocks = [];
  const listed = await ok('GET', `/v1/blocks?user_id=${t.user_id}`, t.key);
  for (const b of listed.blocks as Array<{ label: string }>) {
    const history = await ok('GET', `/v1/blocks/${b.label}/history?user_id=${t.user_id}`, t.key);
    blocks.push({ label: b.label, block: b, history });
  }
  const raw = t.tenant === undefined ? {} : { raw: await scopeKeys(t.tenant, t.user_id) };
  return { memories, history: Object.fromEntries(Object.entries(history).sort(([a], [b]) => a.localeCompare(b))), events, sessions, blocks, ...raw };
}

/** Replaces every occurrence of the strings in `map` (longest first) inside any JSON value. */
function rewrite(value: unknown, map: Map<string, string>): unknown {
  const keysByLength = [...map.keys()].sort((a, b) => b.length - a.length);
  const pattern = new RegExp(keysByLength.map((k) => k.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('|'), 'g');
  const text = JSON.stringify(value);
  return JSON.parse(keysByLength.length === 0 ? text : text.replace(pattern, (m) => map.get(m)!));
}

/** The dump with the user, memory ids and event ids replaced by stable labels, memories in label order. */
export function canonical(dump: ScopeDump, user: string, eventIds: string[]) {
  const map = new Map<string, string>([[user, '<user>']]);
  // Continuation events are named after their parent: label the parent, the suffix follows.
  eventIds.forEach((id, i) => map.set(id, `<event ${i}>`));
  for (const id of new Set(JSON.stringify(dump).match(EVENT_ID) ?? [])) {
    const root = id.replace(/(-next)+$/, '');
    if (!map.has(root)) throw new Error(`the dump names an event the scenario did not list: ${id}`);
  }
  const blank = (v: unknown) => JSON.stringify(v).replace(MEMORY_ID, 'mem_?').replaceAll(user, '<user>').replace(EVENT_ID, 'evt_?');
  // Every id the dump names (raw keys can name memories the API no longer shows, e.g. a deleted one's history).
  const memoryIds = [...new Set(JSON.stringify(dump).match(MEMORY_ID) ?? [])];
  const rawOf = (id: string) => Object.entries(dump.raw ?? {}).filter(([k]) => k.includes(id));
  const sortKey = (id: string) => blank([dump.memories.find((m) => m.id === id) ?? null, dump.history[id] ?? null, rawOf(id)]);
  const ordered = memoryIds.map((id) => ({ id, key: sortKey(id) })).sort((a, b) => a.key.localeCompare(b.key));
  ordered.forEach(({ id }, i) => map.set(id, `<memory ${i}>`));
  const out = rewrite(dump, map) as ScopeDump;
  out.memories.sort((a, b) => String(a.id).localeCompare(String(b.id), 'en', { numeric: true }));
  const byLabel = ([a]: [string, unknown], [b]: [string, unknown]) => a.localeCompare(b, 'en', { numeric: true });
  out.history = Object.fromEntries(Object.entries(out.history).sort(byLabel));
  if (out.raw) {
    // Labels reorder what ids ordered: sets, hashes and same-score zset members sort again.
    for (const entry of Object.values(out.raw)) {
      if (entry.type === 'set') (entry.value as string[]).sort();
      if (entry.type === 'hash') (entry.value as Array<[string, string]>).sort(byLabel);
      if (entry.type === 'zset') (entry.value as Array<[string, string]>).sort(([a, x], [b, y]) => Number(x) - Number(y) || a.localeCompare(b));
    }
    out.raw = Object.fromEntries(Object.entries(out.raw).sort(byLabel));
  }
  return out;
}

/**
 * Where two JSON values differ, as paths with both sides (shortened), at most `max`: a readable
 * failure for dumps too big for a full diff.
 */
export function differences(a: unknown, b: unknown, max = 20, path = '$'): Array<{ path: string; a: string; b: string }> {
  const out: Array<{ path: string; a: string; b: string }> = [];
  const walk = (x: unknown, y: unknown, at: string) => {
    if (out.length >= max) return;
    if (x !== null && y !== null && typeof x === 'object' && typeof y === 'object' && Array.isArray(x) === Array.isArray(y)) {
      const keys = new Set([...Object.keys(x as object), ...Object.keys(y as object)]);
      for (const k of keys) walk((x as Record<string, unknown>)[k], (y as Record<string, unknown>)[k], `${at}.${k}`);
      return;
    }
    if (JSON.stringify(x) !== JSON.stringify(y)) out.push({ path: at, a: String(JSON.stringify(x)).slice(0, 400), b: String(JSON.stringify(y)).slice(0, 400) });
  };
  walk(a, b, path);
  return out;
}
