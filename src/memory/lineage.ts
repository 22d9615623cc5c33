/**
 * Deleting a memory together with the older versions it superseded (`supersedes`, followed back
 * transitively): what a delete with Mem0's `delete_linked` asks for. Each step is the ordinary delete
 * (history row, index and locator updated), so a rerun after a partial failure finishes the chain.
 * Links are read whether current, invalidated or expired: every stored version goes.
 */
import type { Deps } from '../deps';
import { notFound } from '../errors';
import { namespace } from './keys';
import { deleteMemory } from './manage';
import type { MemoryRecord } from './model';

/** Longest chain followed; a longer one stops there (its older links stay, still deletable one by one). */
export const LINEAGE_MAX = 100;

type LineageDeps = Pick<Deps, 'index' | 'ledger' | 'clock' | 'webhooks' | 'queue'>;

async function stored(deps: LineageDeps, tenant: string, id: string): Promise<MemoryRecord | null> {
  const scope = await deps.ledger.locate(tenant, id);
  return scope ? ((await deps.index.fetch(namespace(tenant, scope), [id]))[0] ?? null) : null;
}

export async function deleteLineage(deps: LineageDeps, tenant: string, id: string): Promise<{ deleted: string[] }> {
  const deleted: string[] = [];
  let record = await stored(deps, tenant, id);
  if (!record) throw notFound(`No memory with id ${id}.`);
  while (record && deleted.length < LINEAGE_MAX) {
    await deleteMemory(deps, tenant, record.id);
    deleted.push(record.id);
    const older: string | undefined = record.supersedes;
    // An older version already deleted (or a cycle) ends the chain.
    record = older === undefined || deleted.includes(older) ? null : await stored(deps, tenant, older);
  }
  return { deleted };
}
