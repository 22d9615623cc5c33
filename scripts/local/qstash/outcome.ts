/**
 * What happens after one delivery attempt, whoever made the HTTP call (the auto loop or a test that
 * pulled the delivery and reported back):
 *   2xx                                         → delivered;
 *   489 + `Upstash-NonRetryable-Error: true`    → DLQ at once;
 *   anything else (incl. 0 = no answer)         → retry after the backoff, or DLQ when exhausted.
 * A message with a callback gets one callback per attempt; one that lands in the DLQ also gets its
 * failure callback.
 */
import { callbackPayload, callbackPublish } from './callbacks.js';
import { retryAfterMs } from './duration.js';
import type { Dlq } from './dlq.js';
import type { EventLog } from './events.js';
import { backoffMs } from './retry-delay.js';
import type { DeliveryOutcome, PublishSpec, ResponseRecord, StoredMessage } from './types.js';

export interface PublishMeta {
  kind?: StoredMessage['kind'];
  scheduleId?: string;
  callerIp: string;
  /** False for messages the server makes itself (callbacks, schedule ticks, DLQ retries). */
  dedup?: boolean;
  /** The local time the spec was parsed at, so createdAt and a relative notBefore agree exactly. */
  now?: number;
}

export interface OutcomeDeps {
  now(): number;
  timeScale: number;
  dlq: Dlq;
  events: EventLog;
  publish(spec: PublishSpec, meta: PublishMeta): { messageId: string };
}

function lowerKeys(h: Record<string, string> | undefined): Record<string, string> {
  return Object.fromEntries(Object.entries(h ?? {}).map(([k, v]) => [k.toLowerCase(), v]));
}

function enqueueCallback(deps: OutcomeDeps, m: StoredMessage, res: ResponseRecord, retried: number, failure?: string): void {
  const cb = failure === undefined ? m.callback : m.failureCallback;
  if (!cb || m.kind !== 'message') return;
  const payload = callbackPayload(m, res, retried, failure);
  deps.publish(callbackPublish(cb, payload, deps.now()), {
    kind: failure === undefined ? 'callback' : 'failure-callback',
    callerIp: m.callerIp,
    dedup: false,
  });
}

function toDlq(deps: OutcomeDeps, m: StoredMessage, res: ResponseRecord, retried: number): void {
  const now = deps.now();
  m.state = 'failed';
  m.dlqId = deps.dlq.add(m, res, now).dlqId;
  deps.events.add(m, 'FAILED', now, { responseStatus: res.status });
  enqueueCallback(deps, m, res, retried, m.dlqId);
}

/** Applies one attempt's outcome to `m`, which must be the message that attempt was for. */
export function applyOutcome(deps: OutcomeDeps, m: StoredMessage, outcome: DeliveryOutcome): void {
  const now = deps.now();
  const res: ResponseRecord = { status: outcome.status, headers: lowerKeys(outcome.headers), body: outcome.body ?? '' };
  const retried = m.retried;
  m.lastResponse = res;

  if (res.status >= 200 && res.status < 300) {
    m.state = 'delivered';
    deps.events.add(m, 'DELIVERED', now, { responseStatus: res.status });
    enqueueCallback(deps, m, res, retried);
    return;
  }
  deps.events.add(m, 'ERROR', now, { responseStatus: res.status, error: res.body.slice(0, 500) });
  enqueueCallback(deps, m, res, retried);

  const nonRetryable = res.status === 489 && res.headers['upstash-nonretryable-error']?.toLowerCase() === 'true';
  if (nonRetryable || m.retried >= m.retries) return toDlq(deps, m, res, retried);

  const override = retryAfterMs(res.headers, Date.now());
  const waitMs = backoffMs(m.retried, {
    ...(m.retryDelay === undefined ? {} : { expression: m.retryDelay }),
    ...(override === undefined ? {} : { overrideMs: override }),
    timeScale: deps.timeScale,
  });
  m.retried += 1;
  m.state = 'pending';
  m.dueAt = now + waitMs;
  deps.events.add(m, 'RETRY', now, { nextDeliveryTime: m.dueAt });
}
