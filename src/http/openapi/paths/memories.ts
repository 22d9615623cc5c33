/** Registry entries: /v1/memories and /v1/events. */
import { AddMemories, Edit, EraseQuery, EventIdParam, ListQuery, MemoryIdParam, Search } from '../../schemas';
import { Deleted, EpisodesAdded, Erased, Event, History, Memory, MemoryPage, Queued, SearchResults, SyncEvent } from '../responses';
import { route } from '../route';

const MEMORY_ID = 'mem_0123456789abcdef0123456789ab';
const memoryId = { id: MemoryIdParam };

export const memoryRoutes = [
  route({
    operationId: 'addMemories',
    method: 'post',
    path: '/v1/memories',
    tag: 'Memories',
    summary: 'Ingest conversation turns',
    description:
      'Appends the turns to the session buffer and extracts memories from them. `mode: "async"` (default) ' +
      'answers 202 at once and extracts in a background job (poll GET /v1/events/{id}); `mode: "sync"` ' +
      'extracts inline and answers 200 with the finished event; `infer: false` stores each message verbatim ' +
      'as an episode, with no LLM, and answers 201. A message `id` makes re-sending it a no-op. At least one ' +
      'of user_id, agent_id or run_id is required.',
    auth: 'key',
    body: AddMemories,
    responses: {
      202: { description: 'Queued for extraction (mode "async").', schema: Queued },
      200: { description: 'Extracted inline (mode "sync"): the finished event, as GET /v1/events/:id shows it.', schema: SyncEvent },
      201: { description: 'Stored verbatim as episodes (infer false).', schema: EpisodesAdded },
    },
    example: { body: { user_id: 'alice', run_id: 'session-1', messages: [{ role: 'user', content: "I'm allergic to peanuts" }] } },
  }),
  route({
    operationId: 'searchMemories',
    method: 'post',
    path: '/v1/memories/search',
    tag: 'Memories',
    summary: 'Search memories',
    description:
      'One vector query in the scope, ranked by similarity, recency and kind. `filters` is JSON: ' +
      '`{"AND"|"OR": [...]}`, `{"NOT": f}`, `{"field": {"eq"|"ne"|"in"|"nin"|"gt"|"gte"|"lt"|"lte"|"contains": v}}` ' +
      'over memory fields or `metadata.<key>`. `as_of` answers what was true then. At least one scope id is required.',
    auth: 'key',
    body: Search,
    responses: { 200: { description: 'Best matches first.', schema: SearchResults } },
    example: { body: { user_id: 'alice', query: 'suggest a snack', kinds: ['fact', 'preference'], top_k: 5 } },
  }),
  route({
    operationId: 'listMemories',
    method: 'get',
    path: '/v1/memories',
    tag: 'Memories',
    summary: 'List memories in a scope',
    description: 'Cursor-paginated: pass `next_cursor` back as `cursor` until it is null. Current memories only unless asked.',
    auth: 'key',
    query: ListQuery,
    responses: { 200: { description: 'One page.', schema: MemoryPage } },
    example: { query: { user_id: 'alice', limit: '20' } },
  }),
  route({
    operationId: 'deleteAllMemories',
    method: 'delete',
    path: '/v1/memories',
    tag: 'Memories',
    summary: 'Erase a whole scope',
    description: 'Erases exactly one scope (user_id, agent_id or run_id) from every store; answers when done.',
    auth: 'key',
    query: EraseQuery,
    responses: { 200: { description: 'How many memories were erased.', schema: Erased } },
    example: { query: { user_id: 'alice' } },
  }),
  route({
    operationId: 'getMemory',
    method: 'get',
    path: '/v1/memories/:id',
    tag: 'Memories',
    summary: 'Read one memory',
    auth: 'key',
    params: memoryId,
    responses: { 200: { description: 'The memory.', schema: Memory } },
    errors: ['NOT_FOUND'],
    example: { params: { id: MEMORY_ID } },
  }),
  route({
    operationId: 'updateMemory',
    method: 'patch',
    path: '/v1/memories/:id',
    tag: 'Memories',
    summary: 'Edit a memory',
    description: 'Writes a new version and a history row. `expires_at: null` removes the expiry.',
    auth: 'key',
    params: memoryId,
    body: Edit,
    responses: { 200: { description: 'The memory after the edit.', schema: Memory } },
    errors: ['NOT_FOUND'],
    example: { params: { id: MEMORY_ID }, body: { memory: 'Is allergic to peanuts and tree nuts' } },
  }),
  route({
    operationId: 'deleteMemory',
    method: 'delete',
    path: '/v1/memories/:id',
    tag: 'Memories',
    summary: 'Delete a memory',
    description: 'Removes it from the index; its history keeps a DELETE row.',
    auth: 'key',
    params: memoryId,
    responses: { 200: { description: 'Deleted.', schema: Deleted } },
    errors: ['NOT_FOUND'],
    example: { params: { id: MEMORY_ID } },
  }),
  route({
    operationId: 'memoryHistory',
    method: 'get',
    path: '/v1/memories/:id/history',
    tag: 'Memories',
    summary: 'History of a memory',
    description: 'Every version and event, oldest first, with its time and cause (an event id, `api`, `expiry` …).',
    auth: 'key',
    params: memoryId,
    responses: { 200: { description: 'The history rows.', schema: History } },
    errors: ['NOT_FOUND'],
    example: { params: { id: MEMORY_ID } },
  }),
  route({
    operationId: 'getEvent',
    method: 'get',
    path: '/v1/events/:id',
    tag: 'Events',
    summary: 'Status of an extraction',
    description: 'When a later job took these turns over (debounce), the event succeeds with `merged_into` naming it.',
    auth: 'key',
    params: { id: EventIdParam },
    responses: { 200: { description: 'The event.', schema: Event } },
    errors: ['NOT_FOUND'],
    example: { params: { id: 'evt_0123456789abcdef01234567' } },
  }),
];
