/**
 * Who holds memories in a tenant — what Mem0 calls its users, agents and runs ("entities"; not the
 * knowledge-graph entities of a memory): every primary scope with its memory count, read from the id
 * index (ScopeDirectory). A memory written with a user and an agent counts for the user only — it lives
 * in the user's namespace — so an agent appears here only when it holds memories of its own.
 */
import type { Deps } from '../deps';

/** Ids read at most per listing (a hundred HSCAN pages); beyond it the counts are marked truncated. */
export const OWNER_SCAN_MAX = 100_000;

export type OwnerType = 'user' | 'agent' | 'run';

export interface ScopeOwner {
  type: OwnerType;
  id: string;
  memories: number;
}

const ORDER: Record<OwnerType, number> = { user: 0, agent: 1, run: 2 };

export async function listScopeOwners(deps: Pick<Deps, 'scopeDirectory'>, tenant: string): Promise<{ owners: ScopeOwner[]; truncated: boolean }> {
  const { scopes, truncated } = await deps.scopeDirectory.list(tenant, OWNER_SCAN_MAX);
  const owners: ScopeOwner[] = scopes.map(({ scope, memories }) =>
    scope.user_id ? { type: 'user', id: scope.user_id, memories } : scope.agent_id ? { type: 'agent', id: scope.agent_id, memories } : { type: 'run', id: scope.run_id ?? '', memories },
  );
  owners.sort((a, b) => ORDER[a.type] - ORDER[b.type] || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  return { owners, truncated };
}
