/**
 * Response bodies, as zod schemas, for the OpenAPI document only: the routes build their answers from
 * the domain (model.ts), and `satisfies z.ZodType<…>` ties each schema to the domain type it describes,
 * so a field the domain adds or drops breaks the typecheck here. The objects are strict: the worker
 * tests parse real answers with them, so an undocumented field fails a test instead of going unnoticed.
 */
import * as z from 'zod';
import type { ErrorCode } from '../../errors';
import type { toApiBlock, toApiBlockRow } from '../../memory/block-model';
import type { deleteBlock } from '../../memory/blocks';
import type { getContext } from '../../memory/context';
import { type ApiMemory, type ApplyResult, type EventRecord, type HistoryRow, KINDS, type Usage } from '../../memory/model';
import type { ensureSchedules } from '../../memory/schedules';
import { ENTITY_TYPES, type EntityType } from '../../memory/entities';
import type { getEntity, listEntities } from '../../memory/graph';

const ERROR_CODES = ['INVALID_INPUT', 'UNAUTHORIZED', 'FORBIDDEN', 'NOT_FOUND', 'CONFLICT', 'PAYLOAD_TOO_LARGE', 'RATE_LIMITED', 'UPSTREAM_UNAVAILABLE', 'INTERNAL'] as const satisfies readonly ErrorCode[];
const IsoTime = z.iso.datetime();
const Role = z.enum(['user', 'assistant', 'system', 'tool']);
const Kind = z.enum(KINDS as [ApiMemory['kind'], ...ApiMemory['kind'][]]);
const Scope = z.strictObject({ user_id: z.string().optional(), agent_id: z.string().optional(), run_id: z.string().optional() });

export const ErrorEnvelope = z.strictObject({
  error: z.strictObject({
    code: z.enum(ERROR_CODES),
    message: z.string(),
    request_id: z.string(),
    details: z.unknown().optional(),
  }),
});

const memoryFields = {
  id: z.string(),
  memory: z.string(),
  kind: Kind,
  user_id: z.string().optional(),
  agent_id: z.string().optional(),
  run_id: z.string().optional(),
  categories: z.array(z.string()),
  entities: z.array(z.string()),
  metadata: z.record(z.string(), z.unknown()),
  created_at: IsoTime,
  updated_at: IsoTime,
  valid_at: IsoTime,
  invalid_at: IsoTime.optional(),
  expires_at: IsoTime.optional(),
  source_ids: z.array(z.string()),
  supersedes: z.string().optional(),
  superseded_by: z.string().optional(),
  subject: z.string().optional(),
  predicate: z.string().optional(),
  object: z.string().optional(),
  version: z.number().int(),
};
export const Memory = z.strictObject(memoryFields) satisfies z.ZodType<ApiMemory>;
export const ScoredMemory = z.strictObject({ ...memoryFields, score: z.number(), score_details: z.record(z.string(), z.unknown()).optional() });

const ResultEvent = z.enum(['ADD', 'UPDATE', 'INVALIDATE', 'NOOP', 'DELETE', 'EXPIRE']);
const ApplyResultSchema = z.strictObject({ id: z.string(), event: ResultEvent, memory: z.string(), previous: z.string().optional() }) satisfies z.ZodType<ApplyResult>;
const UsageSchema = z.strictObject({ llm_calls: z.number().int(), prompt_tokens: z.number().int(), completion_tokens: z.number().int() }) satisfies z.ZodType<Usage>;
const EventStatus = z.enum(['queued', 'running', 'succeeded', 'failed']);
const eventFields = { event_id: z.string(), status: EventStatus, results: z.array(ApplyResultSchema), usage: UsageSchema, error: z.string().optional(), merged_into: z.string().optional() };

/** GET /v1/events/:id: the event with ISO times. */
export const Event = z.strictObject({ ...eventFields, created_at: IsoTime, updated_at: IsoTime });
/** POST /v1/memories with mode "sync": the finished event, as GET /v1/events/:id shows it. */
export const SyncEvent = Event;
export const Queued = z.strictObject({ event_id: z.string(), status: z.literal('queued') });
export const EpisodesAdded = z.strictObject({ results: z.array(z.strictObject({ ...memoryFields, event: z.literal('ADD') })) });

export const SearchResults = z.strictObject({
  results: z.array(ScoredMemory),
  entities: z.array(z.string()).optional().describe('With `graph: true`: the entities the query named, whose facts were fused in; absent when the graph could not be read (the vector results still come).'),
});
export const MemoryPage = z.strictObject({ results: z.array(Memory), next_cursor: z.string().nullable() });
export const Erased = z.strictObject({ deleted: z.number().int() });
export const Deleted = z.strictObject({ id: z.string(), deleted: z.literal(true) });
const HistoryEntry = z.strictObject({
  memory_id: z.string(),
  event: ResultEvent,
  at: IsoTime,
  version: z.number().int(),
  memory: z.string().nullable(),
  previous: z.string().nullable(),
  cause: z.string(),
}) satisfies z.ZodType<Omit<HistoryRow, 'at'> & { at: string }>;
export const History = z.strictObject({ id: z.string(), history: z.array(HistoryEntry) });

export const SessionTurn = z.strictObject({ id: z.string(), role: Role, content: z.string(), name: z.string().optional(), created_at: IsoTime });
export const SessionMessages = z.strictObject({ run_id: z.string(), messages: z.array(SessionTurn) });
export const SessionCleared = z.strictObject({ run_id: z.string(), cleared: z.literal(true) });

const Owner = z.strictObject({ user_id: z.string().optional(), agent_id: z.string().optional() });
export const Block = z.strictObject({
  label: z.string(),
  value: z.string(),
  limit: z.number().int(),
  description: z.string().optional(),
  read_only: z.boolean(),
  owner: Owner,
  attached: z.array(z.string()),
  created_at: IsoTime,
  updated_at: IsoTime,
  version: z.number().int(),
}) satisfies z.ZodType<ReturnType<typeof toApiBlock>>;

export const BlockList = z.strictObject({ blocks: z.array(Block) });
export const BlockRemoved = z.union([
  z.strictObject({ label: z.string(), deleted: z.literal(true) }),
  z.strictObject({ label: z.string(), detached: z.literal(true), agent_id: z.string() }),
]) satisfies z.ZodType<Awaited<ReturnType<typeof deleteBlock>>>;
const BlockHistoryRow = z.strictObject({
  label: z.string(),
  event: z.enum(['CREATE', 'UPDATE', 'APPEND', 'REPLACE', 'DELETE', 'ATTACH', 'DETACH']),
  at: IsoTime,
  version: z.number().int(),
  value: z.string().nullable(),
  previous: z.string().nullable(),
  by: Owner,
  agent_id: z.string().optional(),
}) satisfies z.ZodType<ReturnType<typeof toApiBlockRow>>;
export const BlockHistory = z.strictObject({ label: z.string(), history: z.array(BlockHistoryRow) });

const tokenCounts = { blocks: z.number().int(), memories: z.number().int(), messages: z.number().int() };
export const ContextAnswer = z.strictObject({
  messages: z.array(SessionTurn),
  memories: z.array(ScoredMemory),
  blocks: z.array(Block),
  prompt: z.string(),
  usage: z.strictObject({ ...tokenCounts, total: z.number().int(), budget: z.number().int(), dropped: z.strictObject({ ...tokenCounts, repeats: z.number().int() }) }),
  degraded: z.array(z.enum(['messages', 'blocks', 'memories'])).optional(),
  entities: z.array(z.string()).optional().describe('The entities the query named, whose current facts joined the memories.'),
}) satisfies z.ZodType<Awaited<ReturnType<typeof getContext>>['body']>;

const EntityType = z.enum(ENTITY_TYPES as [EntityType, ...EntityType[]]);
const entityFields = { name: z.string(), type: EntityType, aliases: z.array(z.string()), created_at: IsoTime, updated_at: IsoTime };
const Edge = z.strictObject({
  id: z.string(),
  subject: z.string().nullable(),
  predicate: z.string().nullable(),
  object: z.string().nullable(),
  fact: z.string(),
  kind: Kind,
  valid_at: IsoTime.describe('When it became true in the world.'),
  invalid_at: IsoTime.nullable().describe('When it stopped being true; null while it holds.'),
  created_at: IsoTime.describe('When Engram learned it.'),
  expired_at: IsoTime.nullable().describe('When Engram learned it no longer held.'),
  entities: z.array(z.string()),
});
export const EntityPage = z.strictObject({
  entities: z.array(z.strictObject({ ...entityFields, facts: z.number().int().describe('Facts linked to it, current and past.') })),
  next_cursor: z.string().nullable(),
}) satisfies z.ZodType<Awaited<ReturnType<typeof listEntities>>>;
export const EntityAnswer = z.strictObject({
  entity: z.strictObject(entityFields),
  facts: z.array(Edge).describe('Its facts current at as_of (default now), newest first.'),
  facts_total: z.number().int().describe('Current facts in all, for the whole user (or agent, or run) graph: a narrower agent_id or run_id filters `facts` only.'),
  history: z.array(Edge).optional().describe('With include_history: the facts that had ended, oldest first.'),
  neighbours: z.array(z.strictObject({ ...entityFields, shared: z.number().int(), facts: z.array(Edge).optional() })),
}) satisfies z.ZodType<Awaited<ReturnType<typeof getEntity>>>;

export const Schedules = z.strictObject({
  schedules: z.array(z.strictObject({ id: z.string(), path: z.string(), cron: z.string() })),
}) satisfies z.ZodType<Awaited<ReturnType<typeof ensureSchedules>>>;

export const Health = z.union([
  z.strictObject({ status: z.enum(['ok', 'degraded']), version: z.string(), stores: z.record(z.string(), z.string()) }),
  z.strictObject({ status: z.literal('misconfigured'), version: z.string(), error: z.string() }),
]);
export const MintedKey = z.strictObject({
  key: z.string(),
  key_id: z.string(),
  tenant: z.string(),
  created_at: IsoTime,
  rate_limit: z.strictObject({ requests: z.number().int(), window: z.string() }).optional(),
});
export const RevokedKey = z.strictObject({ key_id: z.string(), revoked: z.literal(true) });

/** The JSON-RPC 2.0 message /mcp takes. Documentation only: the MCP route parses JSON-RPC itself. */
export const JsonRpcRequest = z.object({
  jsonrpc: z.literal('2.0'),
  id: z.union([z.string(), z.number()]).optional(),
  method: z.string(),
  params: z.record(z.string(), z.unknown()).optional(),
});
const JsonRpcAnswer = z.object({
  jsonrpc: z.literal('2.0'),
  id: z.union([z.string(), z.number(), z.null()]),
  result: z.unknown().optional(),
  error: z.object({ code: z.number().int(), message: z.string() }).optional(),
});
/** One answer, or an array of answers for a batch. */
export const JsonRpcResponse = z.union([JsonRpcAnswer, z.array(JsonRpcAnswer)]);
