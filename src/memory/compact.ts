/**
 * Compaction (QStash cron → POST /jobs/compact): merges exact duplicate facts and preferences that
 * slipped past the content-derived ids (duplicates.ts says what counts as one and which is kept).
 *
 * Which scopes: only those whose facts or preferences were added or rewritten since their last
 * compaction. The ledger files a scope in a Redis zset inside the same pipeline that records the
 * write (no extra round trip), scored by the write time; compaction takes the least recently touched
 * `max_scopes` (default 10), pages each one's namespace, and unfiles the scope only if it was not
 * touched again meanwhile. A quiet tenant costs nothing; a busy scope is read once per run, whole —
 * cost grows with the namespace (1000 records per Vector page). When more scopes wait than one call
 * takes, it publishes a continuation job.
 *
 * Idempotent and resumable: history rows go first and are append-once (same event and version are
 * not written twice), then the kept memory (merged source_ids) is upserted, then the duplicates are
 * deleted. A rerun after any cut plans the same rows, or none for the parts already applied.
 */
import type { Deps } from '../deps';
import { planCompaction } from './duplicates';
import type { JobDelivery } from './expire';
import { namespace } from './keys';
import type { MemoryRecord, Scope } from './model';

export const COMPACT_PATH = '/jobs/compact';
export const COMPACT_MAX_SCOPES = 10;
const PAGE = 1000;

export interface CompactJob {
  max_scopes?: number;
}

type CompactDeps = Pick<Deps, 'index' | 'ledger' | 'queue' | 'clock'>;

export async function runCompaction(deps: CompactDeps, job: CompactJob, delivery: JobDelivery = {}) {
  const now = deps.clock.now();
  const max = job.max_scopes ?? COMPACT_MAX_SCOPES;
  const touched = await deps.ledger.touchedScopes(max + 1);
  const done = await Promise.all(touched.slice(0, max).map((t) => compactScope(deps, t.tenant, t.scope, t.mark, now)));
  const more = touched.length > max;
  if (more) await deps.queue.publish(COMPACT_PATH, job, delivery.messageId ? { dedupId: `${delivery.messageId}-next` } : {});
  return { scopes: done.length, merged: done.reduce((n, d) => n + d, 0), more };
}

async function compactScope(deps: CompactDeps, tenant: string, scope: Scope, mark: number, now: number): Promise<number> {
  const ns = namespace(tenant, scope);
  const plan = planCompaction(await readNamespace(deps, ns), now);
  if (plan.entries.length > 0) {
    await deps.ledger.recordOnce(tenant, scope, plan.entries);
    // Upsert before delete: a cut between the two keeps every source id on the kept memory.
    await deps.index.upsert(ns, plan.upserts);
    await deps.index.remove(ns, plan.removals);
  }
  await deps.ledger.clearTouched(tenant, scope, mark);
  return plan.removals.length;
}

async function readNamespace(deps: CompactDeps, ns: string): Promise<MemoryRecord[]> {
  const records: MemoryRecord[] = [];
  let cursor = '0';
  do {
    const page = await deps.index.page(ns, cursor, PAGE);
    records.push(...page.records);
    cursor = page.cursor;
  } while (cursor !== '');
  return records;
}
