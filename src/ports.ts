/**
 * Each outside service, as an interface named for the role it plays. `memory/` depends on these only;
 * `adapters/` implement them with the official SDKs; `deps.ts` wires them.
 *
 * Every method is one upstream round trip unless it says otherwise, and throws AppError
 * UPSTREAM_UNAVAILABLE (retryable) when the service fails or passes the configured deadline.
 */
import type { EventRecord, HistoryRow, MemoryRecord, Scope, Turn } from './memory/model';

export interface Clock {
  /** Epoch milliseconds. */
  now(): number;
}

export interface StoreHealth {
  /** Resolves when the service answers; rejects with a short reason otherwise. */
  ping(): Promise<void>;
}

/** Working memory and the extraction log (Redis). */
export interface TurnLog {
  /**
   * Atomically, for turns whose id was not seen before in this scope: append to the session buffer
   * (trimmed to `bufferSize`, TTL refreshed) and, when `log`, to the extraction log with a new seq,
   * setting the scope's pending mark to `eventId` (only if at least one turn was new). Returns the new turns.
   */
  append(tenant: string, scope: Scope, turns: Turn[], opts: { eventId: string; bufferSize: number; ttlSeconds: number; log: boolean }): Promise<Turn[]>;
  /** The newest `limit` turns of the session buffer (scope.run_id, or the scope's default session), oldest first. */
  recent(tenant: string, scope: Scope, limit: number): Promise<Turn[]>;
  clearSession(tenant: string, scope: Scope): Promise<void>;
  /** Up to `limit` turns logged after the watermark (oldest first), plus the current pending mark. */
  pending(tenant: string, scope: Scope, limit: number): Promise<{ turns: Turn[]; pendingEventId: string | null }>;
  /** Moves the watermark to `seq` and drops logged turns up to it. Idempotent. */
  advance(tenant: string, scope: Scope, seq: number): Promise<void>;
  /** SET NX with a TTL: true when this caller holds the claim. */
  claim(tenant: string, scope: Scope, eventId: string): Promise<boolean>;
  release(tenant: string, scope: Scope, eventId: string): Promise<void>;
}

export interface EventLog {
  put(tenant: string, event: EventRecord): Promise<void>;
  get(tenant: string, eventId: string): Promise<EventRecord | null>;
}

/** A change to record next to a vector write: history row, id → scope index, expiry index. */
export interface LedgerEntry {
  record: MemoryRecord;
  row: HistoryRow;
}

/** History, the id locator and the expiry index (Redis). */
export interface MemoryLedger {
  /** One pipeline: history rows appended, ids indexed, expiries (re)registered or cleared. */
  record(tenant: string, scope: Scope, entries: LedgerEntry[]): Promise<void>;
  history(tenant: string, scope: Scope, memoryId: string): Promise<HistoryRow[]>;
  /** The primary scope a memory id lives in, or null. */
  locate(tenant: string, memoryId: string): Promise<Scope | null>;
  /** Forget ids (after a delete); history is kept unless `dropHistory`. */
  forget(tenant: string, scope: Scope, memoryIds: string[], opts?: { dropHistory?: boolean }): Promise<void>;
  /** Up to `limit` scopes with something due at `now`. */
  dueScopes(now: number, limit: number): Promise<Array<{ tenant: string; scope: Scope }>>;
  /** Up to `limit` memory ids of a scope whose expires_at <= now. */
  dueIds(tenant: string, scope: Scope, now: number, limit: number): Promise<string[]>;
  /** Drops ids from the scope's expiry index and re-files the scope in the global due index. */
  clearExpired(tenant: string, scope: Scope, memoryIds: string[]): Promise<void>;
  /** Everything of a scope in Redis: buffer, logs, history, indexes, events, blocks. */
  erase(tenant: string, scope: Scope, memoryIds: string[]): Promise<void>;
}

export interface ApiKeyRecord {
  key_id: string;
  tenant: string;
  created_at: number;
}

export interface ApiKeys {
  /** Looks a key up by the SHA-256 hex of its secret. */
  find(hash: string): Promise<ApiKeyRecord | null>;
  create(hash: string, record: ApiKeyRecord): Promise<void>;
  /** False when no such key id exists. */
  revoke(keyId: string): Promise<boolean>;
}

export interface VectorMatch {
  record: MemoryRecord;
  score: number;
}

/** Long-term memories (Vector). One namespace per tenant and primary scope. */
export interface MemoryIndex {
  upsert(namespace: string, records: MemoryRecord[]): Promise<void>;
  /** Similarity search by text (embedded by the index, or by the Worker when EMBEDDINGS=openai). */
  query(namespace: string, q: { text: string; topK: number; filter: string }): Promise<VectorMatch[]>;
  fetch(namespace: string, ids: string[]): Promise<Array<MemoryRecord | null>>;
  remove(namespace: string, ids: string[]): Promise<void>;
  /** One page of records in id order; `cursor` "" means done. */
  page(namespace: string, cursor: string, limit: number): Promise<{ records: MemoryRecord[]; cursor: string }>;
  dropNamespace(namespace: string): Promise<void>;
}

export interface JobQueue {
  /**
   * Publishes a JSON job to `PUBLIC_BASE_URL + path`. `dedupId` makes a repeated publish a no-op;
   * `delaySeconds` postpones delivery (the extraction debounce).
   */
  publish(path: string, body: unknown, opts: { delaySeconds?: number; dedupId?: string }): Promise<string>;
  /** Creates or overwrites the cron schedule `id` calling `path`. */
  schedule(id: string, path: string, cron: string): Promise<void>;
}

/** Verifies that a request really comes from the job queue (signature over the raw body). */
export interface JobVerifier {
  verify(signature: string, rawBody: string, url: string): Promise<boolean>;
}

export interface ChatUsage {
  prompt_tokens: number;
  completion_tokens: number;
}

export interface ChatModel {
  /** One chat completion constrained to a JSON schema; returns the raw JSON text and usage. */
  completeJson(req: {
    system: string;
    user: string;
    schemaName: string;
    schema: Record<string, unknown>;
  }): Promise<{ content: string; usage: ChatUsage }>;
}
