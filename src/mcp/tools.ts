/**
 * The MCP tool table. Each tool validates its arguments with a zod schema (the REST API's where it
 * fits), calls the same use case as the matching /v1 route, and returns that route's JSON. The
 * descriptions are written for the model that picks the tool: what it is for, when to call it, and
 * the one rule the JSON Schema cannot say (a scope id is required).
 */
import * as z from 'zod';
import type { Deps } from '../deps';
import { AddMemories, AppendToBlock, BlockHolderQuery, BlockLabel, ContextRequest, EntityName, MemoryIdParam, PutBlock, ReplaceInBlock, ScopeQuery, Search, scopeOf, Time } from '../http/schemas';
import { appendToBlock, putBlock, replaceInBlock } from '../memory/blocks';
import { answerContext } from '../http/routes/context';
import { ingest } from '../memory/ingest';
import { getEntity } from '../memory/graph';
import { deleteMemory, listMemories } from '../memory/manage';
import type { Kind } from '../memory/model';
import { search } from '../memory/search';
import { inputSchema } from './input-schema';

/** Who is calling: the tenant behind the API key, and the request id for logs and error envelopes. */
export interface McpCaller {
  deps: Deps;
  tenant: string;
  requestId: string;
}

/** MCP tool annotations: hints for clients deciding whether to ask the user before a call. */
interface Hints {
  readOnlyHint: boolean;
  destructiveHint?: boolean;
  idempotentHint?: boolean;
  openWorldHint: false;
}

export interface McpTool<S extends z.ZodType = z.ZodType> {
  name: string;
  title: string;
  description: string;
  input: S;
  /** Descriptions of top-level arguments, added to the generated JSON Schema. */
  docs: Record<string, string>;
  annotations: Hints;
  run(caller: McpCaller, args: z.output<S>): Promise<object>;
}

const tool = <S extends z.ZodType>(t: McpTool<S>): McpTool => t as McpTool;

const SCOPE_RULE = 'Needs at least one of user_id, agent_id or run_id.';
const SCOPE_DOCS = {
  user_id: 'The person the memories are about. Use the same id on every call for the same person.',
  agent_id: 'The agent the memories belong to, for memory kept per agent rather than per user.',
  run_id: 'The conversation (session) id; recent turns are kept per run.',
};
const TIME = '(ISO-8601 or epoch milliseconds)';
const READ: Hints = { readOnlyHint: true, openWorldHint: false };

/** list_memories takes real booleans and numbers, unlike the query-string form of GET /v1/memories. */
const ListArgs = ScopeQuery.safeExtend({
  cursor: z.string().max(64).optional(),
  limit: z.number().int().min(1).max(1000).default(100),
  include_invalidated: z.boolean().optional(),
  include_expired: z.boolean().optional(),
});

const DeleteArgs = z.object({ memory_id: MemoryIdParam });

/** get_entity takes real numbers and booleans, unlike the query-string form of GET /v1/entities/:name. */
const EntityArgs = ScopeQuery.safeExtend({
  name: EntityName,
  as_of: Time.optional(),
  depth: z.number().int().min(1).max(2).default(1),
  include_history: z.boolean().default(false),
  limit: z.number().int().min(1).max(500).default(50),
});

/**
 * update_block is one flat object (clients refuse a top-level oneOf), so which fields go with which
 * operation is checked here. `read_only` is left out on purpose: a read-only block stays out of the
 * agent's reach.
 */
const BLOCK_FIELDS = { set: ['value', 'limit', 'description'], append: ['text'], replace: ['old', 'new'] } as const;
const UpdateBlockArgs = BlockHolderQuery.safeExtend({
  label: BlockLabel,
  operation: z.enum(['set', 'append', 'replace']),
  value: PutBlock.shape.value,
  limit: PutBlock.shape.limit,
  description: PutBlock.shape.description,
  text: AppendToBlock.shape.text.optional(),
  old: ReplaceInBlock.shape.old.optional(),
  new: ReplaceInBlock.shape.new.optional(),
}).superRefine((a, ctx) => {
  const allowed: readonly string[] = BLOCK_FIELDS[a.operation];
  const required = a.operation === 'set' ? ['value'] : allowed;
  for (const f of required) if (a[f as keyof typeof a] === undefined) ctx.addIssue({ code: 'custom', path: [f], message: `is required for operation "${a.operation}"` });
  for (const f of ['value', 'limit', 'description', 'text', 'old', 'new']) {
    if (!allowed.includes(f) && a[f as keyof typeof a] !== undefined) ctx.addIssue({ code: 'custom', path: [f], message: `does not go with operation "${a.operation}"` });
  }
});

const TOOLS: McpTool[] = [
  tool({
    name: 'add_memory',
    title: 'Remember conversation turns',
    description:
      'Save what was said so it can be remembered later. Send the conversation turns; to save a single fact, send one user message ' +
      'stating it (e.g. "I am allergic to peanuts"). By default this answers at once with an event_id and facts and preferences are ' +
      `extracted in the background, searchable a few seconds later; mode "sync" waits and returns the memories added or changed. ${SCOPE_RULE}`,
    input: AddMemories,
    docs: {
      ...SCOPE_DOCS,
      messages: 'The turns to remember, oldest first. A message id makes re-sending the same turn a no-op.',
      metadata: 'JSON kept on every memory made from these turns; search_memory filters can match it as metadata.<key>.',
      infer: 'true (default): extract facts and preferences with an LLM. false: store each message verbatim as an episode.',
      mode: '"async" (default): answer at once, extract in the background. "sync": wait for the extraction and return its results.',
      expires_at: `When the memories made from these turns expire ${TIME}.`,
    },
    annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: false, openWorldHint: false },
    run: async ({ deps, tenant }, args) => (await ingest(deps, tenant, { ...args, scope: scopeOf(args) })).body,
  }),
  tool({
    name: 'search_memory',
    title: 'Search long-term memory',
    description:
      'Find the long-term memories (facts, preferences, past episodes) most relevant to a question, ranked by similarity, recency and ' +
      'kind. Call it before answering anything that may depend on what you were told earlier. Only current facts are returned unless ' +
      `as_of or include_invalidated says otherwise. ${SCOPE_RULE}`,
    input: Search,
    docs: {
      ...SCOPE_DOCS,
      query: 'What to look for, in plain language.',
      filters: 'Filter on memory fields or metadata.<key>: {"AND"|"OR": [...]}, {"NOT": f}, {"<field>": {"eq"|"ne"|"in"|"nin"|"gt"|"gte"|"lt"|"lte"|"contains": value}}.',
      kinds: 'Only these kinds of memory.',
      top_k: 'How many memories to return.',
      threshold: 'Minimum similarity (0 to 1) a memory needs.',
      as_of: `Return what was true at this time ${TIME}.`,
      include_invalidated: 'Also return facts that a newer fact has superseded.',
      include_expired: 'Also return episodes past their expiry.',
      explain: 'Add score_details (similarity, recency, kind weights) to each result.',
      graph: 'Also bring in the current facts of people, places and things the query names, fused with the similar memories.',
    },
    annotations: READ,
    run: ({ deps, tenant }, args) => search(deps, tenant, { ...args, kinds: args.kinds as Kind[] | undefined, scope: scopeOf(args) }),
  }),
  tool({
    name: 'get_context',
    title: 'Get context for the next model call',
    description:
      'Everything the model should know right now, in one call: the recent turns of the session, the long-term memories most ' +
      'relevant to the query, and the core memory blocks, fitted to a token budget, plus `prompt`, a ready-made system-prompt ' +
      `section. Call it at the start of each turn. ${SCOPE_RULE}`,
    input: ContextRequest,
    docs: {
      ...SCOPE_DOCS,
      query: 'What the next model call is about; without it, the last user turn of the session is used.',
      max_messages: 'How many recent turns of the session to include (default: all that are kept).',
      top_k: 'How many long-term memories to include at most.',
      token_budget: 'Token budget for blocks, memories and turns together; the least relevant parts are dropped to fit.',
      kinds: 'Only these kinds of long-term memory.',
      graph: 'true (default): also bring in the current facts of people, places and things the query names.',
    },
    annotations: READ,
    run: ({ deps, tenant, requestId }, args) => answerContext(deps, tenant, requestId, args),
  }),
  tool({
    name: 'get_entity',
    title: 'Look up a person, place or thing',
    description:
      'What is known about one entity (a person, organisation, place or product the user talked about), by name or by another ' +
      'name it goes by: its facts as edges (subject, predicate, object) with when each held (valid_at, invalid_at), and the ' +
      'entities most connected to it. Facts are those true now, or at as_of; include_history adds the ones that ended, oldest ' +
      `first. Use it for "where does Alice work now?" or "where did I live in 2020?". ${SCOPE_RULE}`,
    input: EntityArgs,
    docs: {
      ...SCOPE_DOCS,
      name: 'The entity\'s name or alias as the user says it, e.g. "Alice", "Robert Smith", "user" for the user.',
      as_of: `Return the facts that were true at this time ${TIME}.`,
      depth: '1 (default): neighbours with how many facts they share; 2: also each close neighbour\'s own facts.',
      include_history: 'Also return the facts that had ended by then, oldest first.',
      limit: 'The most facts per list.',
    },
    annotations: READ,
    run: ({ deps, tenant }, args) =>
      getEntity(deps, tenant, {
        scope: scopeOf(args), name: args.name, ...(args.as_of !== undefined && { as_of: args.as_of }),
        depth: args.depth === 2 ? 2 : 1, include_history: args.include_history, limit: args.limit,
      }),
  }),
  tool({
    name: 'list_memories',
    title: 'List stored memories',
    description:
      'List the memories stored for a user, agent or run, one page at a time (pass next_cursor back as cursor for the next page; ' +
      `null means the end). Use it to review or clean up memory; to answer a question, search_memory is better. ${SCOPE_RULE}`,
    input: ListArgs,
    docs: {
      ...SCOPE_DOCS,
      cursor: 'next_cursor from the previous page; omit it for the first page.',
      limit: 'Page size.',
      include_invalidated: 'Also list facts that a newer fact has superseded.',
      include_expired: 'Also list episodes past their expiry.',
    },
    annotations: READ,
    run: ({ deps, tenant }, args) => listMemories(deps, tenant, { ...args, scope: scopeOf(args), cursor: args.cursor ?? '0' }),
  }),
  tool({
    name: 'delete_memory',
    title: 'Delete a memory',
    description:
      'Delete one memory for good, by the id that search_memory or list_memories returned (mem_…). Use it when the user asks you to ' +
      'forget something or a memory is wrong; its history is kept for audit.',
    input: DeleteArgs,
    docs: { memory_id: 'The id of the memory to delete.' },
    annotations: { readOnlyHint: false, destructiveHint: true, idempotentHint: true, openWorldHint: false },
    run: ({ deps, tenant }, args) => deleteMemory(deps, tenant, args.memory_id),
  }),
  tool({
    name: 'update_block',
    title: 'Edit a core memory block',
    description:
      'Edit a core memory block: a short text that is in every prompt, such as "persona" (who you are), "human" (what you know ' +
      'about the user) or "instructions". operation "append" adds text on a new line; "replace" swaps one exact passage for ' +
      'another (old must occur exactly once; new "" deletes it); "set" creates the block or overwrites its whole value. A change ' +
      'that would go over the block\'s character limit, or touch a read-only block, is refused and nothing is written. ' +
      'Address the block with exactly one of user_id (blocks about that user) or agent_id (the agent\'s own blocks).',
    input: UpdateBlockArgs,
    docs: {
      user_id: 'The user whose block this is (exactly one of user_id or agent_id).',
      agent_id: 'The agent whose block this is, or an agent it is shared with (exactly one of user_id or agent_id).',
      label: 'The block\'s name, e.g. persona, human, instructions.',
      operation: 'set: replace the whole value (creates the block if missing); append: add text; replace: swap old for new.',
      value: 'set: the block\'s new value.',
      limit: 'set: the most characters the block may hold (default 2000 for a new block).',
      description: 'set: what the block is for, shown to whoever edits it; null clears it.',
      text: 'append: the text to add.',
      old: 'replace: the exact passage to find; it must occur exactly once.',
      new: 'replace: what to put instead ("" deletes the passage).',
    },
    annotations: { readOnlyHint: false, destructiveHint: true, idempotentHint: false, openWorldHint: false },
    run: async ({ deps, tenant }, a) => {
      const holder = a.user_id ? { user_id: a.user_id } : { agent_id: a.agent_id as string };
      if (a.operation === 'append') return appendToBlock(deps, tenant, holder, a.label, a.text as string);
      if (a.operation === 'replace') return replaceInBlock(deps, tenant, holder, a.label, a.old as string, a.new as string);
      const change = {
        value: a.value as string,
        ...(a.limit !== undefined && { limit: a.limit }),
        ...(typeof a.description === 'string' && { description: a.description }),
        ...(a.description === null && { clear_description: true }),
      };
      return (await putBlock(deps, tenant, holder, a.label, change)).body;
    },
  }),
];

const byName = new Map(TOOLS.map((t) => [t.name, t]));

export const findTool = (name: string): McpTool | undefined => byName.get(name);

let listed: object[] | undefined;

/** The tools/list entries, built once per isolate (JSON Schema generation is the costly part). */
export function listTools(): object[] {
  listed ??= TOOLS.map((t) => ({ name: t.name, title: t.title, description: t.description, inputSchema: inputSchema(t.input, t.docs), annotations: t.annotations }));
  return listed;
}
