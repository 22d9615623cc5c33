/**
 * Outbound webhook events: what a tenant's endpoints are told, as pure values (no I/O).
 *
 * Body of every delivery (Standard Webhooks' recommended envelope):
 *   {"type": "memory.added", "timestamp": "<ISO time of the change>", "data": {...}}
 * - memory.added / memory.updated / memory.invalidated / memory.deleted:
 *   data = {memory: Memory (the state after the change; for a delete, the last state), previous?: text
 *   before the change, cause: the event id of the extraction, or "api"}
 * - event.succeeded / event.failed: data = the event as GET /v1/events/:id shows it, plus its scope ids.
 *
 * Episodes written by extraction (each turn kept verbatim) are not announced: the caller sent them.
 */
import type { HistoryRow, MemoryRecord, ResultEvent } from './model';
import { type EventRecord, iso, toApiMemory } from './model';

export const WEBHOOK_EVENTS = ['memory.added', 'memory.updated', 'memory.invalidated', 'memory.deleted', 'event.succeeded', 'event.failed'] as const;
export type WebhookEventType = (typeof WEBHOOK_EVENTS)[number];

export interface WebhookEvent {
  type: WebhookEventType;
  /**
   * Identifies the change itself: the same change built twice (a job run again after a crash) gets the
   * same key, hence the same delivery id, so QStash and receivers can drop the repeat.
   */
  key: string;
  /** Epoch ms of the change. */
  at: number;
  data: Record<string, unknown>;
}

const MEMORY_TYPES: Partial<Record<ResultEvent, WebhookEventType>> = {
  ADD: 'memory.added',
  UPDATE: 'memory.updated',
  INVALIDATE: 'memory.invalidated',
  DELETE: 'memory.deleted',
};

/**
 * One event per written memory change. `basis` distinguishes changes that share id and version: the
 * extraction's event id (stable across reruns), or a per-call value for API edits and deletes.
 */
export function memoryEvents(writes: Array<{ record: MemoryRecord; row: HistoryRow }>, basis: string): WebhookEvent[] {
  return writes.flatMap(({ record, row }) => {
    const type = MEMORY_TYPES[row.event];
    if (!type) return [];
    return [{
      type,
      key: `${basis}:${record.id}:${row.version}:${row.event}`,
      at: row.at,
      data: { memory: toApiMemory(record), ...(row.previous !== null && { previous: row.previous }), cause: row.cause },
    }];
  });
}

/** event.succeeded or event.failed for an event that reached that status (other statuses: none). */
export function eventStatusEvents(event: EventRecord): WebhookEvent[] {
  if (event.status !== 'succeeded' && event.status !== 'failed') return [];
  const { scope, created_at, updated_at, merged_into, error, ...rest } = event;
  return [{
    type: event.status === 'succeeded' ? 'event.succeeded' : 'event.failed',
    key: `${event.event_id}:${event.status}`,
    at: updated_at,
    data: {
      ...rest, ...scope, created_at: iso(created_at), updated_at: iso(updated_at),
      ...(error !== undefined && { error }), ...(merged_into !== undefined && { merged_into }),
    },
  }];
}

/** The JSON text delivered (and signed) for one event. */
export const webhookBody = (event: WebhookEvent): string => JSON.stringify({ type: event.type, timestamp: iso(event.at), data: event.data });
