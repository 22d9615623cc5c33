/**
 * RateLimiter on @upstash/ratelimit's sliding window (one EVALSHA per call; the first call against
 * a Redis that has not cached the script yet takes a second, EVAL, once).
 *
 * Time is the Worker's: the SDK computes the window number from Date.now() and sends it to the
 * script, so windows follow the Worker's clock, not Redis's. Each policy gets its own limiter, made
 * on first use by `make` (deps.ts builds the SDK objects) and kept for the isolate's life; policies
 * never share counters (keys.rateLimitPrefix). The SDK's ephemeral cache (one Map per isolate,
 * shared by every policy) remembers callers it refused until their window ends and refuses them again
 * without a Redis call — so a flood from one key costs Redis nothing once it is over its limit.
 */
import type { Ratelimit } from '@upstash/ratelimit';
import type { RateLimitOutcome, RateLimitPolicy, RateLimiter } from '../ports';
import { guard } from './guard';

export type MakeLimiter = (policy: RateLimitPolicy) => Ratelimit;

export class UpstashRateLimiter implements RateLimiter {
  private readonly limiters = new Map<string, Ratelimit>();

  constructor(private readonly make: MakeLimiter) {}

  limit(id: string, policy: RateLimitPolicy): Promise<RateLimitOutcome> {
    const name = `${policy.requests}:${policy.window_ms}`;
    let limiter = this.limiters.get(name);
    if (!limiter) {
      limiter = this.make(policy);
      this.limiters.set(name, limiter);
    }
    const use = limiter;
    return guard('redis', async () => {
      const r = await use.limit(id);
      return { allowed: r.success, limit: r.limit, remaining: r.remaining, reset: r.reset };
    });
  }
}
