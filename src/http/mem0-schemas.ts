/**
 * Request schemas of the Mem0-compatible routes (routes/mem0.ts). Bodies are loose: fields Mem0 accepts
 * that change nothing here (output_format, version, rerank, enable_graph, source …) are ignored. Fields
 * that would steer what is stored or found in ways Engram cannot honour are refused by name rather
 * than silently dropped (REFUSED below).
 */
import * as z from 'zod';
import { MAX_CONTENT, MAX_MESSAGES, ScopeId } from './schemas';

const Day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date, YYYY-MM-DD').refine((d) => Number.isFinite(Date.parse(d)), 'is not a real date');
const Metadata = z.record(z.string().max(64), z.unknown()).refine((m) => JSON.stringify(m).length <= 16_384, 'metadata is limited to 16 KB of JSON');
const Filters = z.record(z.string(), z.unknown());
const needsScope = (s: { user_id?: string; agent_id?: string; run_id?: string }) => Boolean(s.user_id || s.agent_id || s.run_id);

const REFUSED: Record<string, string> = {
  app_id: 'Engram scopes memories by user_id, agent_id and run_id; it has no apps',
  custom_instructions: 'extraction instructions are not configurable per call',
  agent_custom_instructions: 'extraction instructions are not configurable per call',
  custom_categories: 'categories come from Engram extraction and cannot be replaced per call',
  includes: 'extraction hints are not supported',
  excludes: 'extraction hints are not supported',
  structured_data_schema: 'structured extraction is not supported',
};

function refuse(body: Record<string, unknown>, ctx: z.RefinementCtx, names: string[]) {
  for (const name of names) {
    if (body[name] !== undefined && body[name] !== null) ctx.addIssue({ code: 'custom', path: [name], message: `is not supported: ${REFUSED[name] ?? 'Engram cannot honour it'}` });
  }
}

const Message = z.object({
  role: z.enum(['user', 'assistant', 'system', 'tool']),
  content: z.string().min(1).max(MAX_CONTENT),
  name: z.string().min(1).max(128).optional(),
});

/** POST /v3/memories/add/. `messages` may be one string (a user message), as Mem0 allows. */
export const Mem0Add = z
  .looseObject({
    messages: z.union([
      z.string().min(1).max(MAX_CONTENT).transform((content) => [{ role: 'user' as const, content }]),
      z.array(Message).min(1).max(MAX_MESSAGES),
    ]),
    user_id: ScopeId.optional(),
    agent_id: ScopeId.optional(),
    run_id: ScopeId.optional(),
    metadata: Metadata.nullable().optional(),
    infer: z.boolean().default(true),
    async_mode: z.boolean().default(true),
    expiration_date: Day.nullable().optional(),
    /** Epoch seconds: when the conversation happened (each message's created_at). */
    timestamp: z.number().int().nonnegative().optional(),
  })
  .superRefine((b, ctx) => refuse(b, ctx, ['app_id', 'custom_instructions', 'agent_custom_instructions', 'custom_categories', 'includes', 'excludes', 'structured_data_schema']))
  .refine(needsScope, { message: 'at least one of user_id, agent_id or run_id is required' })
  // Extracted facts last until superseded; only verbatim memories take an expiry at write time.
  .refine((b) => b.infer === false || !b.expiration_date, { path: ['expiration_date'], message: 'applies only with infer: false; set it on an extracted memory with update' });

/** POST /v3/memories/search/. top_k above Engram's 100 is capped there. */
export const Mem0Search = z.looseObject({
  query: z.string().min(1).max(4000),
  filters: Filters,
  top_k: z.number().int().min(1).max(1000).default(10),
  threshold: z.number().min(0).max(1).optional(),
  show_expired: z.boolean().optional(),
  reference_date: z.union([z.number(), z.string().min(1)]).nullable().optional(),
  categories: z.array(z.string().min(1).max(64)).min(1).max(100).optional(),
  metadata: Metadata.optional(),
  fields: z.array(z.string().max(64)).max(50).optional(),
});

/** POST /v3/memories/ (get all). Paging comes in the query string, or here when the query has none. */
export const Mem0List = z.looseObject({
  filters: Filters,
  show_expired: z.boolean().optional(),
  latest_only: z.boolean().optional(),
  start_date: z.string().min(1).optional(),
  end_date: z.string().min(1).optional(),
  categories: z.array(z.string().min(1).max(64)).min(1).max(100).optional(),
  fields: z.array(z.string().max(64)).max(50).optional(),
  page: z.number().int().min(1).optional(),
  page_size: z.number().int().min(1).max(200).optional(),
});

export const Mem0Paging = z.object({
  page: z.coerce.number().int().min(1).optional(),
  page_size: z.coerce.number().int().min(1).max(200).optional(),
});

/** PUT /v1/memories/:id/. Mem0's `timestamp` would re-date the memory; Engram keeps creation times. */
export const Mem0Update = z
  .looseObject({
    text: z.string().min(1).max(2000).optional(),
    metadata: Metadata.optional(),
    expiration_date: Day.nullable().optional(),
  })
  .superRefine((b, ctx) => {
    if (b.timestamp !== undefined) ctx.addIssue({ code: 'custom', path: ['timestamp'], message: 'is not supported: a memory keeps its creation time' });
  })
  .refine((b) => b.text !== undefined || b.metadata !== undefined || b.expiration_date !== undefined, { message: 'nothing to change: give text, metadata or expiration_date' });

export const Mem0DeleteQuery = z.object({ delete_linked: z.enum(['true', 'false']).optional() });

/** DELETE /v1/memories/ (delete all): exactly one id, since Engram erases one scope at a time. */
export const Mem0EraseQuery = z
  .looseObject({ user_id: ScopeId.optional(), agent_id: ScopeId.optional(), run_id: ScopeId.optional() })
  .superRefine((b, ctx) => refuse(b, ctx, ['app_id']))
  .refine((s) => [s.user_id, s.agent_id, s.run_id].filter(Boolean).length === 1, { message: 'delete all takes exactly one of user_id, agent_id or run_id' });

export const Mem0EntityParams = z.object({
  type: z.enum(['user', 'agent', 'run'], { message: 'entity type must be user, agent or run (Engram has no apps)' }),
  id: ScopeId,
});
