/** Request schemas (zod), shared by validation and, later, the OpenAPI document. */
import * as z from 'zod';
import { BLOCK_DESCRIPTION_MAX, BLOCK_LABEL, BLOCK_LIMIT_MAX, charCount } from '../memory/block-model';
import { KINDS } from '../memory/model';
import { DURATION, durationMs } from '../duration';
import { COMPACT_MAX_SCOPES } from '../memory/compact';
import { EXPIRE_MAX_IDS, EXPIRE_MAX_SCOPES } from '../memory/expire';
import { WEBHOOK_EVENTS } from '../memory/webhook-events';

/** Ids that reach keys, namespaces and filters: a strict charset keeps them inert everywhere. */
export const ScopeId = z.string().regex(/^[A-Za-z0-9_.@+-]{1,128}$/, 'must be 1-128 characters of A-Z a-z 0-9 _ . @ + -');
/**
 * A time in: ISO-8601 with offset, or epoch milliseconds; always epoch ms out. Numbers stop where
 * ISO-8601's four-digit years do (9999-12-31T23:59:59.999Z): larger ones are not a Date at all past
 * 8.64e15, and a stored one would make every later read of its scope fail to render it.
 */
export const MAX_TIME_MS = 253_402_300_799_999;
export const Time = z
  .union([z.iso.datetime({ offset: true }), z.number().int().nonnegative().max(MAX_TIME_MS, 'must be at most 9999-12-31T23:59:59.999Z in epoch ms')])
  .transform((v) => (typeof v === 'number' ? v : Date.parse(v)));
const Metadata = z.record(z.string().max(64), z.unknown()).refine((m) => JSON.stringify(m).length <= 16_384, 'metadata is limited to 16 KB of JSON');

const scopeFields = { user_id: ScopeId.optional(), agent_id: ScopeId.optional(), run_id: ScopeId.optional() };
const needsScope = (s: { user_id?: string; agent_id?: string; run_id?: string }) => Boolean(s.user_id || s.agent_id || s.run_id);
const scopeMessage = { message: 'at least one of user_id, agent_id or run_id is required' };

export const MAX_MESSAGES = 100;
export const MAX_CONTENT = 32_000;

export const Message = z.object({
  role: z.enum(['user', 'assistant', 'system', 'tool']),
  content: z.string().min(1).max(MAX_CONTENT),
  name: z.string().min(1).max(128).optional(),
  id: z.string().min(1).max(128).optional(),
  created_at: Time.optional(),
});

export const AddMemories = z
  .object({
    messages: z.array(Message).min(1).max(MAX_MESSAGES),
    ...scopeFields,
    metadata: Metadata.default({}),
    infer: z.boolean().default(true),
    mode: z.enum(['async', 'sync']).default('async'),
    expires_at: Time.optional(),
  })
  .refine(needsScope, scopeMessage);

/**
 * POST /v1/ingest/:source with a `generic` source: AddMemories' shape without its options (a webhook
 * ingest is always asynchronous, with extraction).
 */
export const WebhookMessages = z
  .object({ messages: z.array(Message).min(1).max(MAX_MESSAGES), ...scopeFields, metadata: Metadata.default({}) })
  .refine(needsScope, scopeMessage);

export const Search = z
  .object({
    query: z.string().min(1).max(4000),
    ...scopeFields,
    filters: z.record(z.string(), z.unknown()).optional(),
    kinds: z.array(z.enum(KINDS as [string, ...string[]])).max(3).optional(),
    top_k: z.number().int().min(1).max(100).default(10),
    threshold: z.number().min(0).max(1).optional(),
    as_of: Time.optional(),
    include_invalidated: z.boolean().optional(),
    include_expired: z.boolean().optional(),
    explain: z.boolean().optional(),
    graph: z.boolean().optional(),
  })
  .refine(needsScope, scopeMessage);

export const ScopeQuery = z.object(scopeFields).refine(needsScope, scopeMessage);

/** A boolean in a query string: "true" or "false". */
const QueryBool = z.enum(['true', 'false']).transform((v) => v === 'true');

export const ListQuery = z
  .object({
    ...scopeFields,
    cursor: z.string().max(64).optional(),
    limit: z.coerce.number().int().min(1).max(1000).default(100),
    include_invalidated: QueryBool.optional(),
    include_expired: QueryBool.optional(),
  })
  .refine(needsScope, scopeMessage);

export const EraseQuery = z
  .object(scopeFields)
  .refine((s) => [s.user_id, s.agent_id, s.run_id].filter(Boolean).length === 1, { message: 'erase takes exactly one of user_id, agent_id or run_id' });

export const Edit = z
  .object({
    memory: z.string().min(1).max(2000).optional(),
    metadata: Metadata.optional(),
    categories: z.array(z.string().max(64)).max(16).optional(),
    expires_at: Time.nullable().optional(),
  })
  .refine((e) => Object.keys(e).length > 0, { message: 'nothing to change: give memory, metadata, categories or expires_at' });

/** Query of GET/DELETE /v1/sessions/:run_id/messages: the session's owner and how many turns to read. */
export const SessionQuery = z.object({
  user_id: ScopeId.optional(),
  agent_id: ScopeId.optional(),
  limit: z.coerce.number().int().min(1).max(1000).optional(),
});

export const MemoryIdParam = z.string().regex(/^mem_[0-9a-f]{28}$/, 'is not a memory id');
export const EventIdParam = z.string().regex(/^evt_[0-9a-f]{24}(-next)*$/, 'is not an event id');

export const ExtractJobBody = z.object({
  tenant: ScopeId,
  scope: z.object(scopeFields).refine(needsScope, scopeMessage),
  event_id: z.string().min(1).max(200),
  metadata: z.record(z.string(), z.unknown()).optional(),
  continuation: z.boolean().optional(),
});

/** POST /jobs/expire: a scheduled tick sends no body (read as {}); lower limits are for tests and small Workers. */
export const ExpireJobBody = z.strictObject({
  max_scopes: z.number().int().min(1).max(EXPIRE_MAX_SCOPES).optional(),
  max_ids: z.number().int().min(1).max(EXPIRE_MAX_IDS).optional(),
});

/** POST /jobs/compact: the same shape, scopes only. */
export const CompactJobBody = z.strictObject({
  max_scopes: z.number().int().min(1).max(COMPACT_MAX_SCOPES).optional(),
});

export const ContextRequest = z
  .object({
    ...scopeFields,
    query: z.string().min(1).max(4000).optional(),
    max_messages: z.number().int().min(0).max(1000).optional(),
    top_k: z.number().int().min(0).max(50).default(10),
    token_budget: z.number().int().min(1).max(200_000).default(2000),
    kinds: z.array(z.enum(KINDS as [string, ...string[]])).max(3).optional(),
    graph: z.boolean().default(true),
  })
  .refine(needsScope, scopeMessage);

/** A time in a query string: ISO-8601 with offset, or epoch milliseconds as digits. */
const QueryTime = z.union([z.string().regex(/^\d{1,15}$/).transform(Number), z.string()]).pipe(Time);

export const EntityListQuery = z
  .object({ ...scopeFields, cursor: z.string().regex(/^\d{1,20}$/, 'is not a cursor this API handed out').optional(), limit: z.coerce.number().int().min(1).max(500).default(100) })
  .refine(needsScope, scopeMessage);

export const EntityQuery = z
  .object({
    ...scopeFields,
    as_of: QueryTime.optional(),
    depth: z.enum(['1', '2']).default('1').transform((d) => (d === '2' ? 2 : 1) as 1 | 2),
    include_history: QueryBool.default(false),
    limit: z.coerce.number().int().min(1).max(500).default(100),
  })
  .refine(needsScope, scopeMessage);

export const EntityName = z.string().min(1).max(256);

/** The scope ids a validated request carries, without empty fields. */
export const scopeOf = (s: { user_id?: string; agent_id?: string; run_id?: string }) => ({
  ...(s.user_id && { user_id: s.user_id }),
  ...(s.agent_id && { agent_id: s.agent_id }),
  ...(s.run_id && { run_id: s.run_id }),
});

/** Core memory blocks (routes/blocks.ts). Sizes are characters (code points), counted as block-model does. */
const blockText = z.string().refine((s) => charCount(s) <= BLOCK_LIMIT_MAX, `is limited to ${BLOCK_LIMIT_MAX} characters`);
const holderFields = { user_id: ScopeId.optional(), agent_id: ScopeId.optional() };
export const BlockLabel = z.string().regex(BLOCK_LABEL, 'must be 1-64 characters of a-z 0-9 _ -');
export const BlockHolderQuery = z
  .object(holderFields)
  .refine((q) => Boolean(q.user_id) !== Boolean(q.agent_id), { message: "give exactly one of user_id or agent_id: the block's owner or an agent it is attached to" });
export const BlockListQuery = z.object(holderFields).refine((q) => Boolean(q.user_id || q.agent_id), { message: 'give user_id, agent_id or both' });
export const PutBlock = z.strictObject({
  value: blockText.optional(),
  limit: z.number().int().min(1).max(BLOCK_LIMIT_MAX).optional(),
  description: z.string().max(BLOCK_DESCRIPTION_MAX).nullable().optional(),
  read_only: z.boolean().optional(),
});
export const AppendToBlock = z.strictObject({ text: z.string().min(1).pipe(blockText) });
export const ReplaceInBlock = z.strictObject({ old: z.string().min(1).pipe(blockText), new: blockText });
export const BlockAgent = z.strictObject({ agent_id: ScopeId });

/**
 * POST /v1/admin/tenants/:tenant/keys (the body is optional): the key's own rate limit, instead of
 * RATE_LIMIT_REQUESTS per RATE_LIMIT_WINDOW. `requests: 0` exempts the key; `window` defaults to RATE_LIMIT_WINDOW.
 */
export const MintKey = z.strictObject({
  rate_limit: z
    .strictObject({
      requests: z.number().int().min(0).max(1_000_000),
      window: z
        .string()
        .regex(DURATION, 'must be a duration such as "60 s", "5 m" or "1 h"')
        .refine((w) => durationMs(w) >= 1000 && durationMs(w) <= 86_400_000, 'must be between 1 s and 1 d')
        .optional(),
    })
    .optional(),
});

/**
 * POST /v1/admin/tenants/:tenant/sources/:source (the body is optional): the payload format, and on
 * rotation how long the previous secret stays valid (at most 7 d; none: it stops at once).
 */
export const SaveSource = z.strictObject({
  format: z.enum(['generic', 'slack']).optional(),
  keep_previous_for: z
    .string()
    .regex(DURATION, 'must be a duration such as "10 m", "1 h" or "1 d"')
    .refine((w) => durationMs(w) >= 1000 && durationMs(w) <= 7 * 86_400_000, 'must be between 1 s and 7 d')
    .optional(),
});

/** POST /v1/admin/tenants/:tenant/webhooks: an http(s) URL, and the event types it wants (default: all). */
export const RegisterWebhook = z.strictObject({
  url: z.url({ protocol: /^https?$/ }).max(2048),
  events: z.array(z.enum(WEBHOOK_EVENTS)).min(1).max(WEBHOOK_EVENTS.length).optional(),
});
export const WebhookIdParam = z.string().regex(/^wh_[0-9a-f]{16}$/, 'is not a webhook id');
