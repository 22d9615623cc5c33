/**
 * Finding and merging exact duplicates (pure: no I/O, `now` injected). Used by compaction.
 *
 * Two memories are duplicates when they are both current, of the same kind, in the same full scope
 * (user, agent and run ids all equal — so no scoped read ever loses a memory it could see) and their
 * texts are equal after `normaliseText`. Content-derived ids make such pairs rare: they slip through
 * when an edit or an UPDATE rewrites one memory into another's text.
 *
 * Only facts and preferences are merged. An episode is a record of one turn at its own time; two turns
 * that say the same words are two events, not one.
 *
 * The oldest of a group (created_at, then valid_at, then id) is kept and takes the union of the
 * group's `source_ids`; the others are deleted. The kept memory is rewritten only when that union adds
 * something, so planning again after the merge was applied yields no write for it.
 */
import { normaliseText } from './ids';
import { type HistoryRow, isCurrent, type MemoryRecord } from './model';

export interface CompactionPlan {
  /** Kept memories whose source_ids grew (new version). */
  upserts: MemoryRecord[];
  /** Ids of the duplicates to delete. */
  removals: string[];
  /** One history row per change, cause 'compaction'. */
  entries: Array<{ record: MemoryRecord; row: HistoryRow }>;
}

const groupKey = (r: MemoryRecord) => JSON.stringify([r.kind, r.user_id ?? null, r.agent_id ?? null, r.run_id ?? null, normaliseText(r.text)]);

const older = (a: MemoryRecord, b: MemoryRecord) => a.created_at - b.created_at || a.valid_at - b.valid_at || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

/** Groups of two or more duplicates, each oldest first; groups in order of their oldest member. */
export function duplicateGroups(records: MemoryRecord[], now: number): MemoryRecord[][] {
  const groups = new Map<string, MemoryRecord[]>();
  for (const r of records) {
    if (r.kind === 'episode' || !isCurrent(r, now)) continue;
    const key = groupKey(r);
    const group = groups.get(key);
    if (group) group.push(r);
    else groups.set(key, [r]);
  }
  return [...groups.values()]
    .filter((g) => g.length > 1)
    .map((g) => g.sort(older))
    .sort((a, b) => older(a[0]!, b[0]!));
}

export function planCompaction(records: MemoryRecord[], now: number): CompactionPlan {
  const plan: CompactionPlan = { upserts: [], removals: [], entries: [] };
  const row = (r: MemoryRecord, event: 'UPDATE' | 'DELETE', version: number): HistoryRow => ({
    memory_id: r.id, event, at: now, version, memory: event === 'DELETE' ? null : r.text, previous: r.text, cause: 'compaction',
  });
  for (const [keep, ...dups] of duplicateGroups(records, now)) {
    if (!keep) continue;
    const sources = [...new Set([keep.source_ids, ...dups.map((d) => d.source_ids)].flat())];
    if (sources.length > new Set(keep.source_ids).size) {
      const merged: MemoryRecord = { ...keep, source_ids: sources, updated_at: now, version: keep.version + 1 };
      plan.upserts.push(merged);
      plan.entries.push({ record: merged, row: row(keep, 'UPDATE', merged.version) });
    }
    for (const d of dups) {
      plan.removals.push(d.id);
      plan.entries.push({ record: d, row: row(d, 'DELETE', d.version + 1) });
    }
  }
  return plan;
}
