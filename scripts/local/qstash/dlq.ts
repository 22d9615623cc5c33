/**
 * The dead-letter queue: messages whose attempts are exhausted, or that got a 489 with
 * `Upstash-NonRetryable-Error: true`, together with the last response they got.
 */
import { matchesFilter, page, subjectOf, type FilterSubject } from './filters.js';
import { dlqToWire } from './shapes.js';
import type { DlqEntry, ResponseRecord, StoredMessage } from './types.js';

export function createDlq() {
  const entries = new Map<string, DlqEntry>();
  let counter = 0;

  const subject = (e: DlqEntry): FilterSubject => ({
    ...subjectOf(e.message, e.at),
    dlqId: e.dlqId,
    responseStatus: e.response.status,
  });
  const matching = (q: URLSearchParams): DlqEntry[] => [...entries.values()].filter((e) => matchesFilter(subject(e), q));

  return {
    entries,
    /** Ids look like the real ones ("1725323658779-0": entry time in ms, then a sequence number). */
    add(message: StoredMessage, response: ResponseRecord, now: number): DlqEntry {
      const entry: DlqEntry = { dlqId: `${now}-${counter++}`, message, response, at: now };
      entries.set(entry.dlqId, entry);
      return entry;
    },
    list(q: URLSearchParams): { messages: Record<string, unknown>[]; cursor?: string } {
      const { items, cursor } = page(matching(q), q);
      return { messages: items.map(dlqToWire), ...(cursor === undefined ? {} : { cursor }) };
    },
    /**
     * Removes and returns every entry the filter matches. `count` is not honoured: a bulk call does
     * everything at once and answers without a cursor, which ends the SDK's paging loop.
     */
    take(q: URLSearchParams): DlqEntry[] {
      const hit = matching(q);
      for (const e of hit) entries.delete(e.dlqId);
      return hit;
    },
    clear(): void {
      entries.clear();
    },
  };
}

export type Dlq = ReturnType<typeof createDlq>;
