/**
 * The QStash engine without HTTP: publish (with dedup), pull due attempts (signing them), report
 * outcomes, cancel, DLQ retry. Routes and the auto loop both drive it. "Now" is the local clock;
 * only JWT times use real time (see sign.ts).
 */
import type { LocalClock } from '../server.js';
import { createDlq, type Dlq } from './dlq.js';
import { createEventLog } from './events.js';
import { applyOutcome, type PublishMeta } from './outcome.js';
import { parsePublish, QStashError } from './publish.js';
import { createQueues } from './queues.js';
import { createSchedules } from './schedules.js';
import { signDelivery } from './sign.js';
import { createStore, dedupKeys, isTerminal, specOf } from './store.js';
import type { DeliveryOutcome, PendingDelivery, PublishSpec, StoredMessage } from './types.js';

export interface CoreOptions {
  clock: LocalClock;
  /** Deliveries are signed with this key only, as the real service does. */
  currentSigningKey: string;
  /** Retry backoffs are divided by this (1 = QStash's real schedule). */
  timeScale: number;
}

export interface PublishResult {
  messageId: string;
  url: string;
  deduplicated?: true;
}

/** One pulled attempt: the wire form, and the message (auto delivery sends its exact bytes). */
export interface PulledAttempt {
  delivery: PendingDelivery;
  message: StoredMessage;
}

/** The request headers of an attempt: forwarded ones first, so they can never replace ours. */
function deliveryHeaders(m: StoredMessage, signature: string): Record<string, string> {
  const h: Record<string, string> = { ...m.forward };
  if (m.contentType !== undefined) h['content-type'] = m.contentType;
  h['user-agent'] = 'Upstash-QStash';
  h['upstash-message-id'] = m.messageId;
  h['upstash-retried'] = String(m.retried);
  if (m.scheduleId !== undefined) h['upstash-schedule-id'] = m.scheduleId;
  h['upstash-caller-ip'] = m.callerIp;
  h['upstash-signature'] = signature;
  return h;
}

/** The wire form of the attempt on `m`, signed now (real time) with `key`. */
function toPendingDelivery(m: StoredMessage, id: string, key: string): PendingDelivery {
  const signature = signDelivery({ url: m.url, body: m.body, key });
  return {
    id,
    message_id: m.messageId,
    url: m.url,
    method: m.method,
    headers: deliveryHeaders(m, signature),
    body: m.body.toString('utf8'),
    retried: m.retried,
  };
}

export function createCore(opts: CoreOptions) {
  const { clock } = opts;
  const store = createStore();
  const dlq: Dlq = createDlq();
  const events = createEventLog();
  const schedules = createSchedules();
  const queues = createQueues();
  let attempts = 0;

  function publish(spec: PublishSpec, meta: PublishMeta): PublishResult {
    const now = meta.now ?? clock.now();
    const keys = meta.dedup === false ? [] : dedupKeys(spec);
    const dup = store.findDuplicate(keys, now);
    if (dup) return { messageId: dup.messageId, url: dup.url, deduplicated: true };
    if (spec.queueName !== undefined) queues.ensure(spec.queueName, now);
    const m = store.add(spec, {
      kind: meta.kind ?? 'message',
      createdAt: now,
      callerIp: meta.callerIp,
      ...(meta.scheduleId === undefined ? {} : { scheduleId: meta.scheduleId }),
    });
    store.rememberDedup(keys, m, now);
    events.add(m, 'CREATED', now);
    return { messageId: m.messageId, url: m.url };
  }

  const outcomeDeps = { now: () => clock.now(), timeScale: opts.timeScale, dlq, events, publish };

  /** Publishes one message per schedule tick that has passed on the local clock. */
  function tickSchedules(): number {
    const now = clock.now();
    return schedules.tick(now, (s) => {
      const spec = parsePublish(s.destination, s.headers, s.body, now);
      return publish(spec, { scheduleId: s.scheduleId, callerIp: s.callerIp, dedup: false, now }).messageId;
    });
  }

  /** Every due attempt (at most `max`), marked in flight and freshly signed with the current key. */
  function pull(max = Number.POSITIVE_INFINITY): PulledAttempt[] {
    tickSchedules();
    const now = clock.now();
    return store.due(now, max, queues.gate).map((m) => {
      const id = `dlv_${++attempts}`;
      store.startAttempt(m, id);
      events.add(m, 'IN_PROGRESS', now);
      return { delivery: toPendingDelivery(m, id, opts.currentSigningKey), message: m };
    });
  }

  /**
   * Applies an attempt's outcome. `id` is the attempt id from pull (a message id of a message in
   * flight is accepted too). An attempt on a message cancelled meanwhile is quietly dropped.
   */
  function report(id: string, outcome: DeliveryOutcome): StoredMessage {
    const byMessage = store.messages.get(id)?.deliveryId;
    const m = store.endAttempt(id) ?? (byMessage === undefined ? undefined : store.endAttempt(byMessage));
    if (!m) throw new QStashError(`local qstash: no delivery in flight with id ${id}`, 404);
    // An attempt on a message cancelled meanwhile changes nothing.
    if (m.state === 'cancelled') return m;
    applyOutcome(outcomeDeps, m, outcome);
    store.prune();
    return m;
  }

  /** Cancels a message that is not finished yet; false when it is unknown or already done. */
  function cancel(m: StoredMessage | undefined): boolean {
    if (!m || isTerminal(m)) return false;
    // An attempt under way stays registered, so its report is recognised and dropped.
    m.state = 'cancelled';
    events.add(m, 'CANCELED', clock.now());
    return true;
  }

  /** A DLQ retry: a new message with the same content, its retries counted afresh. */
  function retryFromDlq(m: StoredMessage): PublishResult {
    const spec: PublishSpec = { ...specOf(m), notBefore: clock.now() };
    return publish(spec, { callerIp: m.callerIp, dedup: false, ...(m.scheduleId === undefined ? {} : { scheduleId: m.scheduleId }) });
  }

  function reset(): void {
    store.clear();
    dlq.clear();
    events.clear();
    schedules.clear();
    queues.clear();
  }

  return { clock, store, dlq, events, schedules, queues, publish, pull, report, cancel, retryFromDlq, tickSchedules, reset };
}

export type Core = ReturnType<typeof createCore>;
