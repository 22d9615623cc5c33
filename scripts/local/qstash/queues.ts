/**
 * Queues: FIFO lanes with a parallelism (default 1) that can be paused. `enqueue` creates a queue
 * on first use, as the real service does. Routes: `POST /v2/queues` (upsert), `GET /v2/queues[/{name}]`,
 * `DELETE /v2/queues/{name}`, `POST /v2/queues/{name}/pause|resume`.
 */
import type { QueueGate } from './store.js';

export interface QueueRecord extends QueueGate {
  name: string;
  createdAt: number;
  updatedAt: number;
}

export function createQueues() {
  const queues = new Map<string, QueueRecord>();
  return {
    queues,
    /** The queue, made with the defaults when it does not exist yet. */
    ensure(name: string, now: number): QueueRecord {
      let q = queues.get(name);
      if (!q) {
        q = { name, parallelism: 1, paused: false, createdAt: now, updatedAt: now };
        queues.set(name, q);
      }
      return q;
    },
    /** The gate for due-selection; an unknown (deleted) queue behaves like a default one. */
    gate(name: string): QueueGate {
      return queues.get(name) ?? { parallelism: 1, paused: false };
    },
    clear(): void {
      queues.clear();
    },
  };
}

export type Queues = ReturnType<typeof createQueues>;

/** `{name, createdAt, updatedAt, parallelism, lag, paused}`; lag = unfinished messages in the queue. */
export function queueToWire(q: QueueRecord, lag: number): Record<string, unknown> {
  return { name: q.name, createdAt: q.createdAt, updatedAt: q.updatedAt, parallelism: q.parallelism, lag, paused: q.paused };
}
