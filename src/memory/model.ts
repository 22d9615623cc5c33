/**
 * The domain's data types. Inside the Worker times are epoch milliseconds; the API speaks ISO-8601 UTC
 * (see `toApiMemory`).
 */

export type Kind = 'fact' | 'preference' | 'episode';
export const KINDS: readonly Kind[] = ['fact', 'preference', 'episode'];

/** The ids a memory or a turn belongs to; at least one is set. */
export interface Scope {
  user_id?: string;
  agent_id?: string;
  run_id?: string;
}

/** A memory as stored in the index (metadata fields are plain, so filters can reach them). */
export interface MemoryRecord {
  id: string;
  text: string;
  kind: Kind;
  user_id?: string;
  agent_id?: string;
  run_id?: string;
  categories: string[];
  entities: string[];
  metadata: Record<string, unknown>;
  created_at: number;
  updated_at: number;
  valid_at: number;
  invalid_at?: number;
  expires_at?: number;
  source_ids: string[];
  supersedes?: string;
  superseded_by?: string;
  subject?: string;
  predicate?: string;
  object?: string;
  /**
   * Indexed in front of the text but never part of the memory: who said an episode and on which day
   * ("Caroline (8 May 2023):"), so a search that names the speaker or the date finds it.
   */
  context?: string;
  /** Incremented on every edit; history rows carry it. */
  version: number;
}

/** A conversation turn as kept in the working-memory buffer and the extraction log. */
export interface Turn {
  /** The client's message id, or one derived from the content and time. */
  id: string;
  role: 'user' | 'assistant' | 'system' | 'tool';
  content: string;
  name?: string;
  created_at: number;
  /** Monotonic per extraction scope; the watermark compares against it. */
  seq?: number;
}

export type EventStatus = 'queued' | 'running' | 'succeeded' | 'failed';
export type ResultEvent = 'ADD' | 'UPDATE' | 'INVALIDATE' | 'NOOP' | 'DELETE' | 'EXPIRE';

export interface ApplyResult {
  id: string;
  event: ResultEvent;
  memory: string;
  previous?: string;
}

export interface Usage {
  llm_calls: number;
  prompt_tokens: number;
  completion_tokens: number;
}

export interface EventRecord {
  event_id: string;
  status: EventStatus;
  scope: Scope;
  created_at: number;
  updated_at: number;
  results: ApplyResult[];
  usage: Usage;
  error?: string;
  /** When a later job covered these turns (trailing debounce), the event it was folded into. */
  merged_into?: string;
}

export interface HistoryRow {
  memory_id: string;
  event: ResultEvent;
  at: number;
  version: number;
  memory: string | null;
  previous: string | null;
  /** What caused the change: an event id, `api`, `expiry` or `compaction`. */
  cause: string;
}

export const iso = (ms: number | undefined): string | undefined =>
  ms === undefined ? undefined : new Date(ms).toISOString();

/** The public shape of a memory (DESIGN.md `Memory`). */
export function toApiMemory(r: MemoryRecord) {
  return {
    id: r.id,
    memory: r.text,
    kind: r.kind,
    ...(r.user_id !== undefined && { user_id: r.user_id }),
    ...(r.agent_id !== undefined && { agent_id: r.agent_id }),
    ...(r.run_id !== undefined && { run_id: r.run_id }),
    categories: r.categories,
    entities: r.entities,
    metadata: r.metadata,
    created_at: iso(r.created_at),
    updated_at: iso(r.updated_at),
    valid_at: iso(r.valid_at),
    ...(r.invalid_at !== undefined && { invalid_at: iso(r.invalid_at) }),
    ...(r.expires_at !== undefined && { expires_at: iso(r.expires_at) }),
    source_ids: r.source_ids,
    ...(r.supersedes !== undefined && { supersedes: r.supersedes }),
    ...(r.superseded_by !== undefined && { superseded_by: r.superseded_by }),
    ...(r.subject !== undefined && { subject: r.subject, predicate: r.predicate, object: r.object }),
    version: r.version,
  };
}
export type ApiMemory = ReturnType<typeof toApiMemory>;

export function isCurrent(r: MemoryRecord, now: number): boolean {
  return r.invalid_at === undefined && (r.expires_at === undefined || r.expires_at > now);
}

/** The public shape of an event (GET /v1/events/:id and a sync ingest): ISO times, no internal scope. */
export function toApiEvent(e: EventRecord) {
  const { scope: _scope, created_at, updated_at, merged_into, ...rest } = e;
  return { ...rest, created_at: new Date(created_at).toISOString(), updated_at: new Date(updated_at).toISOString(), ...(merged_into && { merged_into }) };
}
export type ApiEvent = ReturnType<typeof toApiEvent>;
