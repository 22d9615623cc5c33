/**
 * The client's types. Requests are the input side of the zod schemas the Worker validates with;
 * answers are the domain's public shapes. Type-only imports: nothing here reaches a bundle.
 */
import type { z } from 'zod';
import type { AddMemories, BlockHolderQuery, BlockListQuery, ContextRequest as ContextSchema, Edit, EntityListQuery, EntityQuery, EraseQuery, ListQuery, MintKey, PutBlock, Search, SessionQuery } from '../http/schemas';
import type { getEntity, listEntities } from '../memory/graph';
import type { toApiBlock, toApiBlockRow } from '../memory/block-model';
import type { ApiMemory, ApplyResult, EventRecord, EventStatus, HistoryRow, Turn, Usage } from '../memory/model';

export type { ApplyResult, EventStatus, Usage };

// Requests.
export type ContextRequest = z.input<typeof ContextSchema>;
export type AddMemoriesRequest = z.input<typeof AddMemories>;
export type SearchRequest = z.input<typeof Search>;
/** Query strings carry text; the client takes numbers and booleans and writes them out. */
export type ListMemoriesRequest = Omit<z.input<typeof ListQuery>, 'limit' | 'include_invalidated' | 'include_expired'> & {
  limit?: number;
  include_invalidated?: boolean;
  include_expired?: boolean;
};
export type DeleteAllRequest = z.input<typeof EraseQuery>;
export type UpdateMemoryRequest = z.input<typeof Edit>;
export type SessionRequest = Omit<z.input<typeof SessionQuery>, 'limit'> & { limit?: number };
/** Exactly one of user_id (the owner) or agent_id. */
export type BlockHolder = z.input<typeof BlockHolderQuery>;
export type BlockListRequest = z.input<typeof BlockListQuery>;
export type PutBlockRequest = z.input<typeof PutBlock>;
export type MintKeyRequest = z.input<typeof MintKey>;
export type EntityListRequest = Omit<z.input<typeof EntityListQuery>, 'limit'> & { limit?: number };
/** `as_of`: ISO-8601 or epoch ms; `depth` 2 adds the neighbours' own facts. */
export type EntityRequest = Omit<z.input<typeof EntityQuery>, 'as_of' | 'depth' | 'include_history' | 'limit'> & {
  as_of?: string | number;
  depth?: 1 | 2;
  include_history?: boolean;
  limit?: number;
};

// Answers.
export type Memory = ApiMemory;
export type ScoredMemory = ApiMemory & { score: number; score_details?: Record<string, unknown> };
/** mode "async" (the default): extraction runs in the background; poll `events.get(event_id)`. */
export interface Queued {
  event_id: string;
  status: 'queued';
}
/** mode "sync": the finished event, as events.get shows it. */
export type SyncEvent = Event;
/** infer false: each message stored verbatim as an episode. */
export interface EpisodesAdded {
  results: Array<ApiMemory & { event: 'ADD' }>;
}
export type AddResult = Queued | SyncEvent | EpisodesAdded;
/** GET /v1/events/:id. */
export type Event = Omit<EventRecord, 'scope' | 'created_at' | 'updated_at'> & { created_at: string; updated_at: string };
export interface SearchResults {
  results: ScoredMemory[];
  /** With `graph: true`: the entities the query named, whose facts were fused in. */
  entities?: string[];
}
export type EntityPage = Awaited<ReturnType<typeof listEntities>>;
/** An entity, its current facts as edges, its neighbours and (on request) its closed facts. */
export type EntityAnswer = Awaited<ReturnType<typeof getEntity>>;
export interface MemoryPage {
  results: Memory[];
  /** Pass back as `cursor` for the next page; null on the last. */
  next_cursor: string | null;
}
export interface Deleted {
  id: string;
  deleted: true;
}
export interface Erased {
  deleted: number;
}
export type HistoryEntry = Omit<HistoryRow, 'at'> & { at: string };
export interface MemoryHistory {
  id: string;
  history: HistoryEntry[];
}
export type SessionTurn = Omit<Turn, 'created_at' | 'seq'> & { created_at: string };
export interface SessionMessages {
  run_id: string;
  messages: SessionTurn[];
}
export interface SessionCleared {
  run_id: string;
  cleared: true;
}
export type Block = ReturnType<typeof toApiBlock>;
export interface BlockList {
  blocks: Block[];
}
/** `deleted` through the owner; `detached` through an attached agent. */
export type BlockRemoved = { label: string; deleted: true } | { label: string; detached: true; agent_id: string };
export interface BlockHistory {
  label: string;
  history: Array<ReturnType<typeof toApiBlockRow>>;
}
interface TokenCounts {
  blocks: number;
  memories: number;
  messages: number;
}
/** POST /v1/context. Token counts are estimates (within ~10% of cl100k for English). */
export interface ContextAnswer {
  messages: SessionTurn[];
  memories: ScoredMemory[];
  blocks: Block[];
  /** A ready system-prompt section: the blocks, then the memories. */
  prompt: string;
  usage: TokenCounts & { total: number; budget: number; dropped: TokenCounts & { repeats: number } };
  /** Present when a store failed and the answer lacks these parts. */
  degraded?: Array<'messages' | 'blocks' | 'memories'>;
  /** The entities the query named, whose current facts joined the memories. */
  entities?: string[];
}
export interface MintedKey {
  /** Shown once: only its hash is stored. */
  key: string;
  key_id: string;
  tenant: string;
  created_at: string;
  /** The key's own limit, when it was minted with one. */
  rate_limit?: { requests: number; window: string };
}
export interface RevokedKey {
  key_id: string;
  revoked: true;
}
export interface Schedules {
  schedules: Array<{ id: string; path: string; cron: string }>;
}
