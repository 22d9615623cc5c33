/**
 * The message store: every message by id in insertion order, the deduplication window, and the
 * choice of which messages are due. Pure bookkeeping; no HTTP, no timers.
 */
import { createHash, randomBytes } from 'node:crypto';
import type { PublishSpec, StoredMessage } from './types.js';

/** Deduplication window of the real service: a repeat within 10 minutes is not enqueued. */
const DEDUP_WINDOW_MS = 10 * 60_000;
/** Delivered/failed/cancelled messages kept for assertions; older ones are forgotten. */
const MAX_TERMINAL = 5_000;

/** Ids shaped like the real ones (`msg_…`, `scd_…`); the SDK never checks the format. */
export function newId(prefix: string): string {
  return `${prefix}_${randomBytes(12).toString('base64url')}`;
}

export const isTerminal = (m: StoredMessage): boolean =>
  m.state === 'delivered' || m.state === 'failed' || m.state === 'cancelled';

/** The publish a stored message was made from (what a DLQ retry publishes again). */
export function specOf(m: StoredMessage): PublishSpec {
  const { seq, messageId, kind, scheduleId, createdAt, dueAt, retried, state, deliveryId, lastResponse, dlqId, callerIp, ...spec } = m;
  return spec;
}

/**
 * The dedup keys a publish claims: its explicit id and/or a hash of what content-based
 * deduplication is documented to cover (destination, body, content type, forwarded headers).
 */
export function dedupKeys(spec: PublishSpec): string[] {
  const keys: string[] = [];
  if (spec.dedupId !== undefined) keys.push(`id:${spec.dedupId}`);
  if (spec.contentDedup) {
    const h = createHash('sha256').update(spec.url).update('\0').update(spec.body).update('\0');
    h.update(spec.contentType ?? '').update('\0');
    for (const name of Object.keys(spec.forward).sort()) h.update(`${name}:${spec.forward[name]}\n`);
    keys.push(`content:${h.digest('hex')}`);
  }
  return keys;
}

/** What due-selection needs to know about a queue. */
export interface QueueGate {
  parallelism: number;
  paused: boolean;
}

export function createStore() {
  const messages = new Map<string, StoredMessage>();
  /** Attempt id → message, while a report for that attempt may still come. */
  const attempts = new Map<string, StoredMessage>();
  const dedup = new Map<string, { messageId: string; url: string; until: number }>();
  let seq = 0;

  const prune = (): void => {
    if (messages.size <= MAX_TERMINAL) return;
    const terminal = [...messages.values()].filter(isTerminal);
    for (const m of terminal.slice(0, Math.max(0, terminal.length - MAX_TERMINAL))) messages.delete(m.messageId);
  };

  return {
    messages,
    add(spec: PublishSpec, extra: Pick<StoredMessage, 'kind' | 'createdAt' | 'callerIp'> & { scheduleId?: string }): StoredMessage {
      const m: StoredMessage = { ...spec, ...extra, seq: ++seq, messageId: newId('msg'), dueAt: spec.notBefore, retried: 0, state: 'pending' };
      messages.set(m.messageId, m);
      prune();
      return m;
    },
    /** The earlier message this publish duplicates, if any key is still inside its window. */
    findDuplicate(keys: string[], now: number): { messageId: string; url: string } | undefined {
      for (const key of keys) {
        const hit = dedup.get(key);
        if (hit && hit.until > now) return hit;
      }
      return undefined;
    },
    rememberDedup(keys: string[], m: StoredMessage, now: number): void {
      for (const key of keys) dedup.set(key, { messageId: m.messageId, url: m.url, until: now + DEDUP_WINDOW_MS });
    },
    /** Marks `m` in flight under a new attempt id. */
    startAttempt(m: StoredMessage, id: string): void {
      m.state = 'in_flight';
      m.deliveryId = id;
      attempts.set(id, m);
    },
    /** Takes the message an attempt was for (once: a second report for it finds nothing). */
    endAttempt(id: string): StoredMessage | undefined {
      const m = attempts.get(id);
      attempts.delete(id);
      if (m) delete m.deliveryId;
      return m;
    },
    prune,
    clear(): void {
      messages.clear();
      attempts.clear();
      dedup.clear();
    },
    /**
     * Pending messages whose time has come, oldest first, at most `max`. A queue delivers in FIFO
     * order: only its first `parallelism` unfinished messages may go, so a message waiting for a
     * retry holds back the ones behind it; a paused queue delivers nothing. Flow-control
     * `parallelism` caps in-flight attempts per key.
     */
    due(now: number, max: number, queue: (name: string) => QueueGate): StoredMessage[] {
      const out: StoredMessage[] = [];
      const queueSlots = new Map<string, number>();
      const flowInFlight = new Map<string, number>();
      for (const m of messages.values()) {
        if (m.state === 'in_flight' && m.flowControlKey) flowInFlight.set(m.flowControlKey, (flowInFlight.get(m.flowControlKey) ?? 0) + 1);
      }
      for (const m of messages.values()) {
        if (out.length >= max) break;
        if (isTerminal(m)) continue;
        if (m.queueName !== undefined) {
          const gate = queue(m.queueName);
          const used = queueSlots.get(m.queueName) ?? 0;
          queueSlots.set(m.queueName, used + 1);
          if (gate.paused || used >= gate.parallelism) continue;
        }
        if (m.state !== 'pending' || m.dueAt > now) continue;
        if (m.flowControlKey && m.parallelism !== undefined) {
          const busy = flowInFlight.get(m.flowControlKey) ?? 0;
          if (busy >= m.parallelism) continue;
          flowInFlight.set(m.flowControlKey, busy + 1);
        }
        out.push(m);
      }
      return out;
    },
  };
}

export type MessageStore = ReturnType<typeof createStore>;
