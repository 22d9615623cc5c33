/**
 * The event log behind `GET /v2/events` (what the SDK's `logs()` reads) and `GET /v2/logs`.
 * State names follow the 2.12.0 SDK types (CANCELED, IN_PROGRESS), not the OpenAPI spelling.
 */
import { matchesFilter, page, subjectOf } from './filters.js';
import { headerLists } from './shapes.js';
import type { StoredMessage } from './types.js';

export type EventState = 'CREATED' | 'ACTIVE' | 'DELIVERED' | 'ERROR' | 'RETRY' | 'FAILED' | 'CANCELED' | 'IN_PROGRESS';

/** Newest events kept; the log is a debugging aid, not a record. */
const MAX_EVENTS = 10_000;

interface EventRecord {
  time: number;
  state: EventState;
  message: StoredMessage;
  nextDeliveryTime?: number;
  error?: string;
  responseStatus?: number;
}

export function createEventLog() {
  const events: EventRecord[] = [];
  return {
    add(message: StoredMessage, state: EventState, time: number, extra: Omit<EventRecord, 'time' | 'state' | 'message'> = {}): void {
      events.push({ time, state, message, ...extra });
      if (events.length > MAX_EVENTS) events.splice(0, events.length - MAX_EVENTS);
    },
    clear(): void {
      events.length = 0;
    },
    /** Newest first, filtered and paged by the query (`messageIds`, `state`, `url`, `fromDate` …). */
    list(q: URLSearchParams): { events: Record<string, unknown>[]; cursor?: string } {
      const matching = events
        .filter((e) => matchesFilter({ ...subjectOf(e.message, e.time), state: e.state }, q))
        .reverse();
      const { items, cursor } = page(matching, q);
      return { events: items.map(toWire), ...(cursor === undefined ? {} : { cursor }) };
    },
  };
}

function toWire(e: EventRecord): Record<string, unknown> {
  const m = e.message;
  const wire: Record<string, unknown> = {
    time: e.time,
    state: e.state,
    messageId: m.messageId,
    url: m.url,
    method: m.method,
    header: Object.fromEntries(Object.entries(headerLists(m.forward)).map(([k, v]) => [k, v.join(', ')])),
    body: m.body.toString('base64'),
    maxRetries: m.retries,
  };
  const optional: Record<string, unknown> = {
    nextDeliveryTime: e.nextDeliveryTime,
    error: e.error,
    responseStatus: e.responseStatus,
    queueName: m.queueName,
    scheduleId: m.scheduleId,
    callback: m.callback?.url,
    failureCallback: m.failureCallback?.url,
    label: m.labels[0],
    labels: m.labels.length > 0 ? m.labels : undefined,
  };
  for (const [k, v] of Object.entries(optional)) if (v !== undefined) wire[k] = v;
  return wire;
}

export type EventLog = ReturnType<typeof createEventLog>;
