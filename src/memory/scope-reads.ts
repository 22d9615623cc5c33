/**
 * Reads over a whole scope, for callers that page by number or need the scope with a memory's history
 * (the Mem0-compatible routes): the full current list of a scope, and a history that says whose it is.
 */
import type { Deps } from '../deps';
import { notFound } from '../errors';
import { listMemories } from './manage';
import type { ApiMemory, HistoryRow, Scope } from './model';

/** Records read per Vector range page, and at most per scan (then `truncated`). */
const PAGE = 1000;
export const SCAN_MAX = 10_000;

/**
 * Every visible memory of a scope, in index order, up to `max`. One Vector range call per 1000 records
 * of the primary namespace (the narrower ids filter inside it, as listMemories does).
 */
export async function scanScope(
  deps: Pick<Deps, 'index' | 'ledger' | 'clock'>,
  tenant: string,
  q: { scope: Scope; include_invalidated?: boolean; include_expired?: boolean },
  max = SCAN_MAX,
): Promise<{ results: ApiMemory[]; truncated: boolean }> {
  const results: ApiMemory[] = [];
  let cursor = '0';
  do {
    const page = await listMemories(deps, tenant, { ...q, cursor, limit: PAGE });
    results.push(...page.results);
    cursor = page.next_cursor ?? '';
  } while (cursor !== '' && results.length < max);
  return { results: results.slice(0, max), truncated: cursor !== '' || results.length > max };
}

/** A memory's history rows (oldest first) with the primary scope it lives in. */
export async function scopedHistory(deps: Pick<Deps, 'ledger'>, tenant: string, id: string): Promise<{ scope: Scope; rows: HistoryRow[] }> {
  const scope = await deps.ledger.locate(tenant, id);
  const rows = scope ? await deps.ledger.history(tenant, scope, id) : [];
  if (!scope || rows.length === 0) throw notFound(`No memory with id ${id}.`);
  return { scope, rows };
}
