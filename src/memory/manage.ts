/** Reading and managing single memories: get, list, edit, delete, history, and erasing a scope. */
import type { Deps } from '../deps';
import { notFound } from '../errors';
import { namespace } from './keys';
import { type MemoryRecord, type Scope, toApiMemory } from './model';
import { inScope, readFilter } from './read-filter';
import { sendWebhooks } from './webhook-delivery';
import { memoryEvents } from './webhook-events';

type ManageDeps = Pick<Deps, 'index' | 'ledger' | 'clock'>;
/** Edits and deletes also tell the tenant's webhook endpoints (read beside the memory's lookup). */
export type ChangeDeps = ManageDeps & Pick<Deps, 'webhooks' | 'queue'>;

async function load(deps: ManageDeps, tenant: string, id: string): Promise<{ scope: Scope; record: MemoryRecord }> {
  const scope = await deps.ledger.locate(tenant, id);
  const record = scope ? (await deps.index.fetch(namespace(tenant, scope), [id]))[0] : null;
  if (!scope || !record) throw notFound(`No memory with id ${id}.`);
  return { scope, record };
}

/** An expired memory is gone for reads from the moment it expires, as in search and list (its history stays). */
export async function getMemory(deps: ManageDeps, tenant: string, id: string) {
  const { record } = await load(deps, tenant, id);
  if (record.expires_at !== undefined && record.expires_at <= deps.clock.now()) {
    throw notFound(`Memory ${id} expired at ${new Date(record.expires_at).toISOString()}; its history is still readable.`);
  }
  return toApiMemory(record);
}

export interface EditInput {
  memory?: string;
  metadata?: Record<string, unknown>;
  categories?: string[];
  expires_at?: number | null;
}

export async function editMemory(deps: ChangeDeps, tenant: string, id: string, edit: EditInput) {
  const [{ scope, record }, endpoints] = await Promise.all([load(deps, tenant, id), deps.webhooks.list(tenant)]);
  const now = deps.clock.now();
  const { expires_at: _drop, ...rest } = record;
  const next: MemoryRecord = {
    ...rest,
    ...(edit.memory !== undefined && { text: edit.memory }),
    ...(edit.metadata !== undefined && { metadata: edit.metadata }),
    ...(edit.categories !== undefined && { categories: edit.categories }),
    ...(edit.expires_at === undefined ? record.expires_at !== undefined && { expires_at: record.expires_at } : edit.expires_at !== null && { expires_at: edit.expires_at }),
    updated_at: now,
    version: record.version + 1,
  };
  const entry = { record: next, row: { memory_id: id, event: 'UPDATE' as const, at: now, version: next.version, memory: next.text, previous: record.text, cause: 'api' } };
  await Promise.all([
    deps.index.upsert(namespace(tenant, scope), [next]),
    deps.ledger.record(tenant, scope, [entry]),
    sendWebhooks(deps, endpoints, memoryEvents([entry], `api.${now}`)),
  ]);
  return toApiMemory(next);
}

export async function deleteMemory(deps: ChangeDeps, tenant: string, id: string) {
  const [{ scope, record }, endpoints] = await Promise.all([load(deps, tenant, id), deps.webhooks.list(tenant)]);
  const now = deps.clock.now();
  const entry = { record, row: { memory_id: id, event: 'DELETE' as const, at: now, version: record.version + 1, memory: null, previous: record.text, cause: 'api' } };
  await Promise.all([
    deps.index.remove(namespace(tenant, scope), [id]),
    deps.ledger.record(tenant, scope, [entry]),
    sendWebhooks(deps, endpoints, memoryEvents([entry], `api.${now}`)),
  ]);
  await deps.ledger.forget(tenant, scope, [id]);
  return { id, deleted: true };
}

export async function memoryHistory(deps: ManageDeps, tenant: string, id: string) {
  const scope = await deps.ledger.locate(tenant, id);
  const rows = scope ? await deps.ledger.history(tenant, scope, id) : [];
  if (rows.length === 0) throw notFound(`No memory with id ${id}.`);
  return { id, history: rows.map((r) => ({ ...r, at: new Date(r.at).toISOString() })) };
}

/** A page of a scope's memories. Vector `range` cannot filter, so pages are filtered here. */
export async function listMemories(deps: ManageDeps, tenant: string, q: { scope: Scope; cursor: string; limit: number; include_invalidated?: boolean; include_expired?: boolean }) {
  const now = deps.clock.now();
  const page = await deps.index.page(namespace(tenant, q.scope), q.cursor || '0', q.limit);
  const visible = page.records.filter((r) =>
    inScope(r, q.scope) &&
    (q.include_invalidated || r.invalid_at === undefined) &&
    (q.include_expired || r.expires_at === undefined || r.expires_at > now));
  return { results: visible.map(toApiMemory), next_cursor: page.cursor || null };
}

/** Erases a primary scope from every store, answering only when done (read-your-writes). */
export async function eraseScope(deps: ManageDeps, tenant: string, scope: Scope) {
  const ns = namespace(tenant, scope);
  const ids: string[] = [];
  let cursor = '0';
  do {
    const page = await deps.index.page(ns, cursor, 1000);
    ids.push(...page.records.map((r) => r.id));
    cursor = page.cursor;
  } while (cursor !== '');
  await Promise.all([deps.index.dropNamespace(ns), deps.ledger.erase(tenant, scope, ids)]);
  return { deleted: ids.length };
}

