/**
 * Who holds memories in a tenant: every primary scope (user, agent or run) with its memory count, read
 * from the id index (EntityDirectory). A memory written with a user and an agent counts for the user only
 * — it lives in the user's namespace — so an agent appears here only when it holds memories of its own.
 */
import type { Deps } from '../deps';

/** Ids read at most per listing (a hundred HSCAN pages); beyond it the counts are marked truncated. */
export const ENTITY_SCAN_MAX = 100_000;

export type EntityType = 'user' | 'agent' | 'run';

export interface Entity {
  type: EntityType;
  id: string;
  memories: number;
}

const ORDER: Record<EntityType, number> = { user: 0, agent: 1, run: 2 };

export async function listEntities(deps: Pick<Deps, 'entities'>, tenant: string): Promise<{ entities: Entity[]; truncated: boolean }> {
  const { entities, truncated } = await deps.entities.list(tenant, ENTITY_SCAN_MAX);
  const rows: Entity[] = entities.map(({ scope, memories }) =>
    scope.user_id ? { type: 'user', id: scope.user_id, memories } : scope.agent_id ? { type: 'agent', id: scope.agent_id, memories } : { type: 'run', id: scope.run_id ?? '', memories },
  );
  rows.sort((a, b) => ORDER[a.type] - ORDER[b.type] || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  return { entities: rows, truncated };
}
