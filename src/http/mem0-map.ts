/**
 * Engram's answers in the shapes of the Mem0 platform API (snake_case on the wire; Mem0's clients turn
 * keys into camelCase themselves). Pure. See routes/mem0.ts for which call maps to which use case.
 *
 * - A memory: Engram's `kind` is `memory_type` (fact, preference, or episode: a turn kept verbatim),
 *   `superseded_by` is `replaced_by`, `expires_at` is `expiration_date` (the last day it is visible),
 *   absent ids are null, `app_id` is always null, and the run id is sent both as `run_id` (Mem0's
 *   search answers) and `session_id` (its get and list answers).
 * - Events: ADD, UPDATE and NOOP keep their name; INVALIDATE (a fact no longer true, kept in history
 *   with `invalid_at`), DELETE and EXPIRE are DELETE — in Mem0's terms the memory is gone.
 */
import { invalid } from '../errors';
import type { ingest } from '../memory/ingest';
import type { ApiMemory, ApplyResult, EventRecord, HistoryRow, ResultEvent, Scope } from '../memory/model';
import type { ScopeOwner } from '../memory/scope-owners';

const DAY_MS = 86_400_000;

export type Mem0Event = 'ADD' | 'UPDATE' | 'DELETE' | 'NOOP';

export function mem0Event(e: ResultEvent): Mem0Event {
  return e === 'ADD' || e === 'UPDATE' || e === 'NOOP' ? e : 'DELETE';
}

/** The last day (UTC, YYYY-MM-DD) on which a memory expiring at `expiresAt` (ISO) is still visible. */
export function expirationDate(expiresAt: string | undefined): string | null {
  return expiresAt === undefined ? null : new Date(Date.parse(expiresAt) - 1).toISOString().slice(0, 10);
}

/** Mem0's expiration date (hidden after that day) as Engram's expires_at: the start of the next UTC day. */
export function expiresAtOf(date: string): number {
  return Date.parse(`${date}T00:00:00Z`) + DAY_MS;
}

/** Mem0's reference_date as epoch ms: epoch seconds, an ISO time, or a date (its last millisecond). */
export function referenceTime(v: number | string): number {
  const ms = typeof v === 'number' ? v * 1000 : /^\d{4}-\d{2}-\d{2}$/.test(v) ? Date.parse(`${v}T00:00:00Z`) + DAY_MS - 1 : Date.parse(v);
  if (!Number.isFinite(ms)) throw invalid('reference_date needs epoch seconds, an ISO time or a date (YYYY-MM-DD)');
  return ms;
}

const ids = (s: Scope) => ({ user_id: s.user_id ?? null, agent_id: s.agent_id ?? null, app_id: null, run_id: s.run_id ?? null, session_id: s.run_id ?? null });

export function mem0Memory(m: ApiMemory & { score?: number }, fields?: string[]): Record<string, unknown> {
  const out: Record<string, unknown> = {
    id: m.id,
    memory: m.memory,
    ...ids(m),
    memory_type: m.kind,
    metadata: m.metadata,
    categories: m.categories,
    created_at: m.created_at,
    updated_at: m.updated_at,
    expiration_date: expirationDate(m.expires_at),
    replaced_by: m.superseded_by ?? null,
    ...(m.score !== undefined && { score: m.score }),
  };
  if (!fields || fields.length === 0) return out;
  return Object.fromEntries(Object.entries(out).filter(([k]) => k === 'id' || fields.includes(k)));
}

/** Results of an add, as Mem0 lists them: the memory text both flat and under `data`. */
export function mem0Results(results: ApplyResult[]) {
  return results.map((r) => ({
    id: r.id,
    event: mem0Event(r.event),
    memory: r.memory,
    data: { memory: r.memory },
    ...(r.previous !== undefined && { previous_memory: r.previous }),
  }));
}

const STATUS = { queued: 'PENDING', running: 'RUNNING', succeeded: 'SUCCEEDED', failed: 'FAILED' } as const;

/**
 * An ingest answer as Mem0's add answers: queued → PENDING with the event id (poll GET /v1/event/:id/);
 * extracted inline (async_mode: false) → the results with the event's status; stored verbatim
 * (infer: false) → SUCCEEDED with one ADD per message.
 */
export function mem0Added(a: Awaited<ReturnType<typeof ingest>>) {
  if (a.status === 202) return { message: 'Memory processing has been queued for background execution', status: 'PENDING', event_id: a.body.event_id };
  if (a.status === 201) return { message: 'Memories added successfully', status: 'SUCCEEDED', results: a.body.results.map((m) => ({ id: m.id, event: 'ADD', memory: m.memory, data: { memory: m.memory } })) };
  return { status: STATUS[a.body.status], event_id: a.body.event_id, results: mem0Results(a.body.results), ...(a.body.error !== undefined && { error: a.body.error }) };
}

/** GET /v1/event/:id/ — an extraction event. */
export function mem0EventRecord(e: EventRecord) {
  return {
    id: e.event_id,
    event_type: 'ADD',
    status: STATUS[e.status],
    results: mem0Results(e.results),
    created_at: new Date(e.created_at).toISOString(),
    updated_at: new Date(e.updated_at).toISOString(),
    error: e.error ?? null,
  };
}

/** A history row: Engram keeps no per-row input messages, so `input` is empty. */
export function mem0History(row: HistoryRow, scope: Scope) {
  return {
    id: `${row.memory_id}.v${row.version}`,
    memory_id: row.memory_id,
    input: [],
    old_memory: row.previous,
    new_memory: row.memory,
    event: mem0Event(row.event),
    ...ids(scope),
    categories: [],
    metadata: { engram_event: row.event, cause: row.cause, version: row.version },
    created_at: new Date(row.at).toISOString(),
    updated_at: new Date(row.at).toISOString(),
  };
}

/** Engram knows no creation time for an entity: those fields are null rather than invented. */
export function mem0Entity(e: ScopeOwner, tenant: string) {
  return { id: `${e.type}:${e.id}`, name: e.id, type: e.type, total_memories: e.memories, owner: tenant, metadata: null, created_at: null, updated_at: null };
}

/** Mem0's page envelope: 1-based `page` of `size`, with absolute next / previous links (or null). */
export function paged<T>(all: T[], page: number, size: number, url: string) {
  const link = (p: number) => {
    const u = new URL(url);
    u.searchParams.set('page', String(p));
    u.searchParams.set('page_size', String(size));
    return u.toString();
  };
  const start = (page - 1) * size;
  return {
    count: all.length,
    next: start + size < all.length ? link(page + 1) : null,
    previous: page > 1 ? link(page - 1) : null,
    results: all.slice(start, start + size),
  };
}
