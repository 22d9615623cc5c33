/**
 * Real HTTP delivery with fetch(), for `delivery: 'auto'` (the loop) and for drainAuto() in any
 * mode. Each attempt is aborted after `Upstash-Timeout` (default DEFAULT_TIMEOUT_MS) or on close;
 * a connection error or timeout counts as a failed attempt with status 0, and is retried.
 */
import type { Core, PulledAttempt } from './core.js';
import type { DeliveryOutcome } from './types.js';

/** Attempt timeout when the publish set none; the real service uses the plan's maximum. */
const DEFAULT_TIMEOUT_MS = 15 * 60_000;
/** Real-time period of the auto loop. */
const LOOP_INTERVAL_MS = 50;
/** drainAuto() passes at most: bounds a destination that keeps failing with no backoff. */
const MAX_DRAIN_PASSES = 100;

async function attempt(p: PulledAttempt, stop: AbortSignal): Promise<DeliveryOutcome> {
  const { delivery, message } = p;
  const signal = AbortSignal.any([stop, AbortSignal.timeout(message.timeoutMs ?? DEFAULT_TIMEOUT_MS)]);
  try {
    const res = await fetch(delivery.url, {
      method: delivery.method,
      headers: delivery.headers,
      // The stored bytes, not the UTF-8 text of the pull form, so binary bodies arrive intact.
      body: delivery.method === 'GET' ? undefined : message.body,
      signal,
    });
    const headers: Record<string, string> = {};
    res.headers.forEach((value, name) => {
      headers[name] = value;
    });
    return { status: res.status, headers, body: await res.text() };
  } catch (err) {
    const reason = err instanceof Error ? `${err.name}: ${err.message}` : String(err);
    return { status: 0, body: `local qstash: delivery to ${delivery.url} failed: ${reason}` };
  }
}

export function createAutoDelivery(core: Core) {
  const stop = new AbortController();
  const running = new Set<Promise<void>>();

  const deliver = async (p: PulledAttempt): Promise<void> => {
    const outcome = await attempt(p, stop.signal);
    if (stop.signal.aborted) return;
    try {
      core.report(p.delivery.id, outcome);
    } catch {
      // The message vanished meanwhile (a reset): nothing left to update.
    }
  };
  const track = (p: Promise<void>): void => {
    running.add(p);
    void p.finally(() => running.delete(p));
  };

  /** One pass: every due attempt is started; returns without waiting for them. */
  const step = (): void => {
    try {
      for (const p of core.pull()) track(deliver(p));
    } catch (err) {
      // A timer callback must not throw: that would take the whole local stack down.
      console.error(`[local qstash] delivery loop: ${err instanceof Error ? err.message : String(err)}`);
    }
  };

  return {
    step,
    /** Delivers until nothing is due (callbacks made by one pass go in the next); returns attempts made. */
    async drain(): Promise<number> {
      let total = 0;
      for (let pass = 0; pass < MAX_DRAIN_PASSES; pass++) {
        const batch = core.pull();
        if (batch.length === 0) break;
        total += batch.length;
        await Promise.all(batch.map(deliver));
      }
      return total;
    },
    /** Starts the loop; the timer is unref'd so it never keeps a process alive by itself. */
    startLoop(): void {
      const timer = setInterval(step, LOOP_INTERVAL_MS);
      timer.unref();
      stop.signal.addEventListener('abort', () => clearInterval(timer));
    },
    async close(): Promise<void> {
      stop.abort();
      await Promise.allSettled([...running]);
    },
  };
}
