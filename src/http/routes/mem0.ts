/**
 * /mem0 — the Mem0 platform API shapes that Mem0's clients speak (the `mem0ai` MemoryClient with
 * `host: "<engram origin>/mem0"`), mapped onto Engram's use cases. Auth: `Authorization: Token <api key>`
 * with Engram API keys. Paths keep Mem0's trailing slash. Shapes: http/mem0-map.ts; filters:
 * http/mem0-filters.ts; bodies: http/mem0-schemas.ts.
 *
 * | Mem0 call (client method)                    | Engram                                                        |
 * |----------------------------------------------|---------------------------------------------------------------|
 * | GET /v1/ping/ (constructor, ping)            | the key check; `{status: ok, org_id: "engram", project_id: tenant}` |
 * | POST /v3/memories/add/ (add)                 | ingest. infer → infer; async_mode (default true) → mode async |
 * |                                              | (PENDING + event_id) or sync (results); timestamp (s) → each  |
 * |                                              | message's time (valid_at; created_at stays the write time);   |
 * |                                              | expiration_date → expires_at (infer: false only)              |
 * | GET /v1/event/:id/                           | the extraction event (PENDING/RUNNING/SUCCEEDED/FAILED)       |
 * | POST /v3/memories/search/ (search)           | search. filters → scope + filter; top_k (≤ 100); threshold;   |
 * |                                              | reference_date → as_of; show_expired; categories; metadata    |
 * | POST /v3/memories/?page&page_size (getAll)   | every memory of the scope (scanScope), filtered in code,      |
 * |                                              | newest first, paged; latest_only: false adds superseded ones  |
 * | GET /v1/memories/:id/ (get)                  | getMemory                                                     |
 * | PUT /v1/memories/:id/ (update)               | editMemory: text → memory, metadata, expiration_date          |
 * | DELETE /v1/memories/:id/ (delete)            | deleteMemory; delete_linked=true → deleteLineage              |
 * | GET /v1/memories/:id/history/ (history)      | the history rows, with the memory's scope                     |
 * | DELETE /v1/memories/?user_id=… (deleteAll)   | eraseScope of exactly one id (memories, buffer, blocks, history) |
 * | GET /v1/entities/ (users)                    | listScopeOwners: primary scopes holding memories, with counts |
 * | DELETE /v1|v2/entities/:type/:id/ (deleteUsers) | eraseScope of that user, agent or run                      |
 *
 * Differences kept visible rather than papered over: ids are Engram's (`mem_…`), not UUIDs; episodes
 * (each turn kept verbatim, expiring after EPISODE_TTL_DAYS) are memories here too, `memory_type:
 * "episode"`; `score` is Engram's ranking score (similarity fused with recency and kind, not bounded
 * to 1) while `threshold` applies to the similarity alone and has no default (Mem0's is 0.1); an
 * agent or run id alone reads that scope's own namespace, not every user's memories
 * with that agent; deleteAll also clears the scope's session buffer and core blocks; app_id and
 * per-call extraction instructions are refused (400). Everything else Mem0 has (projects, webhooks,
 * exports, profiles, batch) answers 404 here.
 */
import { Hono } from 'hono';
import { notFound } from '../../errors';
import { matchesFilter } from '../../memory/filter-match';
import { ingest } from '../../memory/ingest';
import { deleteLineage } from '../../memory/lineage';
import { deleteMemory, editMemory, eraseScope, getMemory } from '../../memory/manage';
import { listScopeOwners } from '../../memory/scope-owners';
import { scanScope, scopedHistory } from '../../memory/scope-reads';
import { search } from '../../memory/search';
import { splitFilters } from '../mem0-filters';
import { expiresAtOf, mem0Added, mem0Entity, mem0EventRecord, mem0History, mem0Memory, paged, referenceTime } from '../mem0-map';
import { Mem0Add, Mem0DeleteQuery, Mem0EntityParams, Mem0EraseQuery, Mem0List, Mem0Paging, Mem0Search, Mem0Update } from '../mem0-schemas';
import { apiKeyAuth } from '../middleware/auth';
import { EventIdParam, MemoryIdParam, scopeOf } from '../schemas';
import type { AppEnv } from '../types';
import { check, jsonBody, queryParams } from '../validate';

const memoryId = (id: string) => check(MemoryIdParam, id, 'memory id');
const newestFirst = (a: { created_at?: string; id: string }, b: { created_at?: string; id: string }) =>
  (b.created_at ?? '').localeCompare(a.created_at ?? '') || a.id.localeCompare(b.id);

export const mem0 = new Hono<AppEnv>()
  .use('*', apiKeyAuth({ scheme: 'Token' }))
  .get('/v1/ping/', (c) => c.json({ status: 'ok', org_id: 'engram', project_id: c.get('tenant') }))
  .post('/v3/memories/add/', async (c) => {
    const b = await jsonBody(c, Mem0Add);
    const at = b.timestamp === undefined ? undefined : b.timestamp * 1000;
    // One timestamp for the batch: a millisecond apart keeps the messages in order.
    const messages = b.messages.map((m, i) => ({ ...m, ...(at !== undefined && { created_at: at + i }) }));
    const answer = await ingest(c.get('deps'), c.get('tenant'), {
      scope: scopeOf(b),
      messages,
      metadata: b.metadata ?? {},
      infer: b.infer,
      mode: b.async_mode ? 'async' : 'sync',
      ...(b.expiration_date && { expires_at: expiresAtOf(b.expiration_date) }),
    });
    return c.json(mem0Added(answer));
  })
  .get('/v1/event/:id/', async (c) => {
    const id = check(EventIdParam, c.req.param('id'), 'event id');
    const event = await c.get('deps').events.get(c.get('tenant'), id);
    if (!event) throw notFound(`No event with id ${id}.`);
    return c.json(mem0EventRecord(event));
  })
  .post('/v3/memories/search/', async (c) => {
    const b = await jsonBody(c, Mem0Search);
    const extra = [...(b.categories ? [{ categories: { in: b.categories } }] : []), ...(b.metadata ? [{ metadata: b.metadata }] : [])];
    const { scope, filter } = splitFilters(extra.length > 0 ? { AND: [b.filters, ...extra] } : b.filters);
    const out = await search(c.get('deps'), c.get('tenant'), {
      query: b.query,
      scope,
      ...(filter && { filters: filter }),
      top_k: Math.min(100, b.top_k),
      ...(b.threshold !== undefined && { threshold: b.threshold }),
      ...(b.reference_date != null && { as_of: referenceTime(b.reference_date) }),
      ...(b.show_expired !== undefined && { include_expired: b.show_expired }),
    });
    return c.json({ results: out.results.map((m) => mem0Memory(m, b.fields)) });
  })
  .post('/v3/memories/', async (c) => {
    const q = queryParams(c, Mem0Paging);
    const b = await jsonBody(c, Mem0List);
    const extra = [
      ...(b.start_date ? [{ created_at: { gte: b.start_date } }] : []),
      ...(b.end_date ? [{ created_at: { lte: b.end_date } }] : []),
      ...(b.categories ? [{ categories: { in: b.categories } }] : []),
    ];
    const { scope, filter } = splitFilters(extra.length > 0 ? { AND: [b.filters, ...extra] } : b.filters);
    const { results, truncated } = await scanScope(c.get('deps'), c.get('tenant'), {
      scope,
      ...(b.show_expired !== undefined && { include_expired: b.show_expired }),
      ...(b.latest_only === false && { include_invalidated: true }),
    });
    const kept = (filter ? results.filter((m) => matchesFilter(filter, m)) : results).sort(newestFirst);
    const page = paged(kept.map((m) => mem0Memory(m, b.fields)), q.page ?? b.page ?? 1, q.page_size ?? b.page_size ?? 100, c.req.url);
    return c.json({ ...page, ...(truncated && { truncated }) });
  })
  .get('/v1/memories/:id/', async (c) => c.json(mem0Memory(await getMemory(c.get('deps'), c.get('tenant'), memoryId(c.req.param('id'))))))
  .put('/v1/memories/:id/', async (c) => {
    const id = memoryId(c.req.param('id'));
    const b = await jsonBody(c, Mem0Update);
    const edited = await editMemory(c.get('deps'), c.get('tenant'), id, {
      ...(b.text !== undefined && { memory: b.text }),
      ...(b.metadata !== undefined && { metadata: b.metadata }),
      ...(b.expiration_date !== undefined && { expires_at: b.expiration_date === null ? null : expiresAtOf(b.expiration_date) }),
    });
    return c.json(mem0Memory(edited));
  })
  .delete('/v1/memories/:id/', async (c) => {
    const id = memoryId(c.req.param('id'));
    if (queryParams(c, Mem0DeleteQuery).delete_linked !== 'true') {
      await deleteMemory(c.get('deps'), c.get('tenant'), id);
      return c.json({ message: 'Memory deleted successfully!' });
    }
    const { deleted } = await deleteLineage(c.get('deps'), c.get('tenant'), id);
    return c.json({ message: 'Memory deleted successfully!', cascade_count: deleted.length - 1 });
  })
  .get('/v1/memories/:id/history/', async (c) => {
    const { scope, rows } = await scopedHistory(c.get('deps'), c.get('tenant'), memoryId(c.req.param('id')));
    return c.json(rows.map((r) => mem0History(r, scope)));
  })
  .delete('/v1/memories/', async (c) => {
    const { deleted } = await eraseScope(c.get('deps'), c.get('tenant'), scopeOf(queryParams(c, Mem0EraseQuery)));
    return c.json({ message: 'Memories deleted successfully!', deleted });
  })
  .get('/v1/entities/', async (c) => {
    const q = queryParams(c, Mem0Paging);
    const { owners, truncated } = await listScopeOwners(c.get('deps'), c.get('tenant'));
    const total = (type: string) => owners.filter((o) => o.type === type).length;
    const page = paged(owners.map((o) => mem0Entity(o, c.get('tenant'))), q.page ?? 1, q.page_size ?? 100, c.req.url);
    return c.json({ ...page, total_users: total('user'), total_agents: total('agent'), total_apps: 0, total_runs: total('run'), ...(truncated && { truncated }) });
  })
  .delete('/:version{v[12]}/entities/:type/:id/', async (c) => {
    const { type, id } = check(Mem0EntityParams, { type: c.req.param('type'), id: c.req.param('id') }, 'entity');
    await eraseScope(c.get('deps'), c.get('tenant'), type === 'user' ? { user_id: id } : type === 'agent' ? { agent_id: id } : { run_id: id });
    return c.json({ message: 'Entity deleted successfully.' });
  });
