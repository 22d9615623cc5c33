/**
 * Deleting a memory together with the older versions it superseded (`supersedes`, followed back
 * transitively): what a delete with Mem0's `delete_linked` asks for. Each step is the ordinary delete
 * (history row, index and locator updated), so a rerun after a partial failure finishes the chain.
 */
import type { Deps } from '../deps';
import { AppError } from '../errors';
import { deleteMemory, getMemory } from './manage';

/** Longest chain followed; a longer one stops there (its older links stay, still deletable one by one). */
export const LINEAGE_MAX = 100;

export async function deleteLineage(deps: Pick<Deps, 'index' | 'ledger' | 'clock'>, tenant: string, id: string): Promise<{ deleted: string[] }> {
  const first = await getMemory(deps, tenant, id);
  const deleted: string[] = [];
  let next: string | undefined = first.supersedes;
  await deleteMemory(deps, tenant, id);
  deleted.push(id);
  while (next !== undefined && deleted.length < LINEAGE_MAX && !deleted.includes(next)) {
    const older: string = next;
    try {
      next = (await getMemory(deps, tenant, older)).supersedes;
    } catch (err) {
      // An older version already deleted ends the chain; anything else is a real failure.
      if (err instanceof AppError && err.code === 'NOT_FOUND') break;
      throw err;
    }
    await deleteMemory(deps, tenant, older);
    deleted.push(older);
  }
  return { deleted };
}
