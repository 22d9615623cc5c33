/**
 * The TTL sweep (QStash cron → POST /jobs/expire): memories whose `expires_at` has passed are deleted
 * from Vector and closed in their history with an EXPIRE row (cause 'expiry'). Reads hide them from
 * the moment they expire (read-filter.ts); the sweep is what frees the storage.
 *
 * Work per call is bounded: at most `max_scopes` scopes (default 20) and `max_ids` ids per scope
 * (default 500), taken from the two-level expiry index (no key scans). When more is due, the call
 * publishes one continuation job, so a big backlog drains as a chain of small requests.
 *
 * Idempotent and resumable, per scope: (1) fetch the due ids from Vector, to act on the records' real
 * expiry rather than the index's; (2) delete the expired ones from Vector; (3) settle in one atomic
 * Redis script: EXPIRE rows (built from each memory's last row, skipped when it already ends in EXPIRE
 * or DELETE), ids out of the index, scope re-filed. A delivery cut off after (2) leaves the ids due;
 * the rerun finds the records gone, treats them as expired and writes the rows once. Redelivery of a
 * finished sweep finds nothing due.
 */
import type { Deps } from '../deps';
import { namespace } from './keys';
import type { MemoryRecord, Scope } from './model';

export const EXPIRE_PATH = '/jobs/expire';
export const EXPIRE_MAX_SCOPES = 20;
export const EXPIRE_MAX_IDS = 500;

/** The job body; a scheduled tick sends none, continuations repeat the caller's limits. */
export interface ExpireJob {
  max_scopes?: number;
  max_ids?: number;
}

/** Which QStash message this run is (its `Upstash-Message-Id`): names the continuation, for dedup. */
export interface JobDelivery {
  messageId?: string;
}

type ExpireDeps = Pick<Deps, 'index' | 'ledger' | 'queue' | 'clock'>;

export interface Selection {
  /** Ids whose records are gone or past their expiry: settled with an EXPIRE row. */
  expired: string[];
  /** The subset still in Vector: deleted there first. */
  remove: string[];
  /** Ids whose record now expires later, or never (null): re-scored in the index, not deleted. */
  refile: Array<{ id: string; expires_at: number | null }>;
}

/**
 * Pure: decides each due id from its record (`records[i]` belongs to `ids[i]`, null when absent).
 * An absent record was deleted by an earlier, interrupted run of this sweep — any other delete
 * also unfiles the id — so it still counts as expired.
 */
export function selectExpired(ids: string[], records: Array<MemoryRecord | null>, now: number): Selection {
  const out: Selection = { expired: [], remove: [], refile: [] };
  ids.forEach((id, i) => {
    const r = records[i] ?? null;
    if (r === null) out.expired.push(id);
    else if (r.expires_at !== undefined && r.expires_at <= now) {
      out.expired.push(id);
      out.remove.push(id);
    } else out.refile.push({ id, expires_at: r.expires_at ?? null });
  });
  return out;
}

export async function runExpiry(deps: ExpireDeps, job: ExpireJob, delivery: JobDelivery = {}) {
  const now = deps.clock.now();
  const maxScopes = job.max_scopes ?? EXPIRE_MAX_SCOPES;
  const maxIds = job.max_ids ?? EXPIRE_MAX_IDS;
  // One more than the batch tells, for free, whether anything is left for a continuation.
  const due = await deps.ledger.dueScopes(now, maxScopes + 1);
  const swept = await Promise.all(due.slice(0, maxScopes).map(({ tenant, scope }) => sweepScope(deps, tenant, scope, now, maxIds)));
  const more = due.length > maxScopes || swept.some((s) => s.more);
  if (more) await continueSweep(deps, job, delivery);
  return { scopes: swept.length, expired: swept.reduce((n, s) => n + s.expired, 0), more };
}

async function sweepScope(deps: ExpireDeps, tenant: string, scope: Scope, now: number, maxIds: number) {
  const ids = await deps.ledger.dueIds(tenant, scope, now, maxIds + 1);
  const batch = ids.slice(0, maxIds);
  const ns = namespace(tenant, scope);
  const { expired, remove, refile } = selectExpired(batch, await deps.index.fetch(ns, batch), now);
  await deps.index.remove(ns, remove);
  // Also when the batch is empty: re-files a scope whose global due time went stale.
  await deps.ledger.clearExpired(tenant, scope, { at: now, expired, refile });
  return { expired: expired.length, more: ids.length > maxIds };
}

/** The next link of the chain; its dedup id comes from this message's id, so a redelivery adds no second chain. */
async function continueSweep(deps: ExpireDeps, job: ExpireJob, delivery: JobDelivery) {
  await deps.queue.publish(EXPIRE_PATH, job, delivery.messageId ? { dedupId: `${delivery.messageId}-next` } : {});
}
