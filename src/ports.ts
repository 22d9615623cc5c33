/**
 * Each outside service, as an interface named for the role it plays. `memory/` depends on these only;
 * `adapters/` implement them with the official SDKs; `deps.ts` wires them.
 *
 * Every method is one upstream round trip unless it says otherwise, and throws AppError
 * UPSTREAM_UNAVAILABLE (retryable) when the service fails or passes the configured deadline.
 */
import type { EventRecord, HistoryRow, MemoryRecord, Scope, Turn } from './memory/model';
import type { Block, BlockChange, BlockHistoryRow, BlockOwner, BlockRemoval, BlockWrite } from './memory/block-model';
import type { WebhookEventType } from './memory/webhook-events';
import type { Entity, EntityDirectory } from './memory/entities';
import type { EntityView, GraphQuery } from './memory/graph-model';

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
  /** Drops the session buffer and its seen message ids (re-sending a message after a clear adds it again). */
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

/**
 * Core memory blocks (Redis). A block is addressed through a holder (`{user_id}` or `{agent_id}`,
 * exactly one): its owner, or an agent it is attached to — both reach the same single copy. Each
 * write is one atomic step: the limit, read-only and exact-match checks and the history row happen
 * together or not at all; a refusal comes back as `{ok: false, reason}` with nothing written.
 * Sizes are in characters (Unicode code points). Attachments whose block is gone are skipped and removed.
 */
export interface BlockStore {
  /**
   * Every block visible to up to two holders (a user and an agent) in ONE round trip: the first
   * holder's blocks, then the second's, each sorted by label; a block visible to both appears once.
   */
  list(tenant: string, owners: BlockOwner[]): Promise<Block[]>;
  get(tenant: string, holder: BlockOwner, label: string): Promise<Block | null>;
  /** Creates (owned by `holder`, `created: true`) or updates; a change that changes nothing writes nothing. */
  put(tenant: string, holder: BlockOwner, label: string, change: BlockChange, now: number): Promise<BlockWrite>;
  /** Appends `text`, after a newline when the value is not empty. */
  append(tenant: string, holder: BlockOwner, label: string, text: string, now: number): Promise<BlockWrite>;
  /** Replaces the single occurrence of `old`; 0 or ≥ 2 occurrences are refused. */
  replace(tenant: string, holder: BlockOwner, label: string, old: string, next: string, now: number): Promise<BlockWrite>;
  /** The owner deletes the block for every holder; an attached agent only detaches itself. */
  remove(tenant: string, holder: BlockOwner, label: string, now: number): Promise<BlockRemoval>;
  /** Makes the block visible, under the same label, to `agentId`. Idempotent. */
  attach(tenant: string, holder: BlockOwner, label: string, agentId: string, now: number): Promise<BlockWrite>;
  detach(tenant: string, holder: BlockOwner, label: string, agentId: string, now: number): Promise<BlockWrite>;
  /** Oldest first; the holder's own history of `label` when no block is visible under it now. */
  history(tenant: string, holder: BlockOwner, label: string): Promise<BlockHistoryRow[]>;
}

/** The context call's Redis side, in one round trip. */
export interface WorkingMemory {
  /**
   * The newest `maxMessages` turns of the session buffer (oldest first), every block visible to
   * `owners` (as BlockStore.list) and, given `graph`, the entities it names (as EntityGraph.lookup).
   */
  read(
    tenant: string,
    scope: Scope,
    opts: { maxMessages: number; owners: BlockOwner[]; graph?: GraphQuery },
  ): Promise<{ turns: Turn[]; blocks: Block[]; entities: EntityView[] }>;
}

/**
 * The knowledge graph of a primary scope (Redis): entities, their aliases and the facts linking them.
 * Edges are written by the ledger, beside each fact's history row (MemoryLedger.record), so every
 * path that changes a fact — extraction, the API, expiry, compaction, erase — keeps them in step.
 */
export interface EntityGraph {
  /** Every entity and alias of the scope, for resolution (extraction jobs only). */
  directory(tenant: string, scope: Scope): Promise<EntityDirectory>;
  /** Writes created or changed entities and alias index entries. */
  putEntities(tenant: string, scope: Scope, entities: Entity[], aliases: Array<[alias: string, key: string]>): Promise<void>;
  /** The entities among `q.names` (normalised) with their edges at `q.at`, in ONE round trip whatever the graph's size. */
  lookup(tenant: string, scope: Scope, q: GraphQuery): Promise<EntityView[]>;
  /** One page of the scope's entities with their fact counts; cursor "0" starts, "0" back means done. */
  list(tenant: string, scope: Scope, cursor: string, limit: number): Promise<{ entities: Array<{ entity: Entity; facts: number }>; cursor: string }>;
}

/** A change to record next to a vector write: history row, id → scope index, expiry index. */
export interface LedgerEntry {
  record: MemoryRecord;
  row: HistoryRow;
}

export interface ExpiredBatch {
  /** Epoch ms written on the EXPIRE rows. */
  at: number;
  expired: string[];
  refile: Array<{ id: string; expires_at: number | null }>;
}

/** History, the id locator, the expiry index and the compaction queue (Redis). */
export interface MemoryLedger {
  /**
   * One pipeline: history rows appended, ids indexed, expiries (re)registered or cleared, the
   * knowledge graph's edges written (or removed, for DELETE and EXPIRE rows). A fact or preference
   * added or updated also files the scope for the next compaction (no extra round trip).
   */
  record(tenant: string, scope: Scope, entries: LedgerEntry[]): Promise<void>;
  /**
   * As `record`, for jobs that may run twice (compaction): a row is appended only when the memory's
   * last row differs in event or version, so a rerun of the same plan adds nothing. Files no scope.
   */
  recordOnce(tenant: string, scope: Scope, entries: LedgerEntry[]): Promise<void>;
  history(tenant: string, scope: Scope, memoryId: string): Promise<HistoryRow[]>;
  /** The primary scope a memory id lives in, or null. */
  locate(tenant: string, memoryId: string): Promise<Scope | null>;
  /** Forget ids (after a delete) and their graph edges; history is kept unless `dropHistory`. */
  forget(tenant: string, scope: Scope, memoryIds: string[], opts?: { dropHistory?: boolean }): Promise<void>;
  /** Up to `limit` scopes with something due at `now`. */
  dueScopes(now: number, limit: number): Promise<Array<{ tenant: string; scope: Scope }>>;
  /** Up to `limit` memory ids of a scope whose expires_at <= now. */
  dueIds(tenant: string, scope: Scope, now: number, limit: number): Promise<string[]>;
  /**
   * Settles a swept batch of a scope atomically: each `expired` id gets an EXPIRE row (cause 'expiry',
   * built from its last row, and skipped when that already is EXPIRE or DELETE — so a rerun adds
   * none) and leaves the expiry index; each `refile` id is re-scored at its real expiry (null: it has
   * none, and leaves the index); the scope is re-filed in the global due index by its earliest expiry.
   */
  clearExpired(tenant: string, scope: Scope, batch: ExpiredBatch): Promise<void>;
  /** Up to `limit` scopes filed for compaction, least recently touched first; `mark` identifies the touch. */
  touchedScopes(limit: number): Promise<Array<{ tenant: string; scope: Scope; mark: number }>>;
  /** Unfiles a compacted scope, unless it was touched again after `mark` (then the next run takes it). */
  clearTouched(tenant: string, scope: Scope, mark: number): Promise<void>;
  /** Everything of a scope in Redis: buffer, logs, history, indexes, events, blocks. */
  erase(tenant: string, scope: Scope, memoryIds: string[]): Promise<void>;
}

export interface ApiKeyRecord {
  key_id: string;
  tenant: string;
  created_at: number;
  /** The key's own rate limit, set when it was minted; absent: the configured default applies. */
  rate_limit?: RateLimitPolicy;
}

/** Requests allowed per sliding window of `window_ms`; 0 requests means no limit. */
export interface RateLimitPolicy {
  requests: number;
  window_ms: number;
}

export interface RateLimitOutcome {
  allowed: boolean;
  limit: number;
  remaining: number;
  /** Epoch ms when the current window ends. */
  reset: number;
}

/**
 * Counts requests per caller in a sliding window (Redis). One round trip, none while an isolate
 * already knows the caller is over its limit (until the window ends). The caller's id is opaque.
 */
export interface RateLimiter {
  limit(id: string, policy: RateLimitPolicy): Promise<RateLimitOutcome>;
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
  /**
   * Publishes each message to its own absolute `url`, in one batch call (no-op for none). `body` is
   * delivered byte for byte and `headers` reach the destination as given (QStash forwards them);
   * `dedupId` makes a repeat within the queue's deduplication window a no-op. Failed deliveries are
   * retried 3 times with backoff, then kept in the queue's dead-letter list.
   */
  publishTo(messages: OutboundMessage[]): Promise<void>;
}

export interface OutboundMessage {
  url: string;
  body: string;
  headers: Record<string, string>;
  dedupId?: string;
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

/**
 * Who holds memories in a tenant: each primary scope (user, agent or run) with its memory count. (Not
 * the knowledge-graph entities of `MemoryRecord.entities`: these are the scopes Mem0 calls entities.)
 */
export interface ScopeDirectory {
  /**
   * Read from the id → scope index that the ledger keeps (no extra write on ingest). Several round
   * trips for a large tenant: at most `maxIds` ids are read, and `truncated` says the count stopped there.
   */
  list(tenant: string, maxIds: number): Promise<{ scopes: Array<{ scope: Scope; memories: number }>; truncated: boolean }>;
}

/** How an ingestion source's payloads read: the documented generic shape, or Slack Events API. */
export type SourceFormat = 'generic' | 'slack';

/** A webhook ingestion source: `POST /v1/ingest/{source}` writes into `tenant`. */
export interface IngestSource {
  source: string;
  tenant: string;
  format: SourceFormat;
  /** `whsec_…` secrets, current first; a rotated-out one is accepted until its `until` (epoch ms). */
  secrets: Array<{ secret: string; until?: number }>;
  created_at: number;
  updated_at: number;
}

/** Ingestion sources and the ids of deliveries already taken (Redis). Source ids are global. */
export interface IngestSources {
  get(source: string): Promise<IngestSource | null>;
  put(record: IngestSource): Promise<void>;
  remove(source: string): Promise<void>;
  /** SET NX EX: true for the first delivery of `deliveryId` to this source within `ttlSeconds`. */
  firstDelivery(tenant: string, source: string, deliveryId: string, ttlSeconds: number): Promise<boolean>;
  /** Forgets a delivery id, so the sender's retry of a delivery we failed to take is accepted. */
  forgetDelivery(tenant: string, source: string, deliveryId: string): Promise<void>;
}

/** A URL a tenant registered to be told about changes, with its signing secret. */
export interface WebhookEndpoint {
  id: string;
  url: string;
  events: WebhookEventType[];
  secret: string;
  created_at: number;
}

/** A tenant's outbound webhook endpoints (Redis, one hash per tenant). */
export interface WebhookEndpoints {
  /** Every endpoint of the tenant (one HGETALL; an empty list for a tenant with none). Oldest first. */
  list(tenant: string): Promise<WebhookEndpoint[]>;
  /** Adds the endpoint unless the tenant already has `max`: false then, nothing written. */
  add(tenant: string, endpoint: WebhookEndpoint, max: number): Promise<boolean>;
  /** False when the tenant has no endpoint with that id. */
  remove(tenant: string, id: string): Promise<boolean>;
}
