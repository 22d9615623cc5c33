/**
 * Rate limits per API key, used by the /v1 and /mcp auth middleware (auth.ts).
 *
 * The limiter counts by the SHA-256 of the key, which is known before the key lookup, so the two run
 * in the same upstream wave and the limit adds no round trip. The policy is the key's own (set when
 * it was minted) or the configured default (RATE_LIMIT_REQUESTS per RATE_LIMIT_WINDOW; 0 = none).
 * Before the lookup lands the key's own policy is known only if this isolate has seen the key; for a
 * key seen for the first time the default is counted, and only when the key turns out to carry a
 * different policy is it counted again under that one (one more round trip, once per isolate and key).
 *
 * A limiter that cannot answer lets the request through (logged): Redis trouble already fails the
 * key lookup, except in the auth middleware's short outage grace for reads.
 */
import type { Context } from 'hono';
import type { Deps } from '../../deps';
import { formatDuration } from '../../duration';
import type { ApiKeyRecord, RateLimitOutcome, RateLimitPolicy } from '../../ports';
import { errorResponse } from '../envelope';
import { log } from '../log';
import type { AppEnv } from '../types';

/** The policy for a key: its own, else the default; null when no limit applies. */
export function policyFor(config: Deps['config'], record?: ApiKeyRecord): RateLimitPolicy | null {
  const policy = record?.rate_limit ?? { requests: config.RATE_LIMIT_REQUESTS, window_ms: config.RATE_LIMIT_WINDOW };
  return policy.requests > 0 ? policy : null;
}

const samePolicy = (a: RateLimitPolicy | null, b: RateLimitPolicy | null) => a?.requests === b?.requests && a?.window_ms === b?.window_ms;

/** Starts counting this request (never rejects); null when no limit applies or the limiter failed. */
export function countRequest(deps: Pick<Deps, 'rateLimiter'>, hash: string, policy: RateLimitPolicy | null): Promise<RateLimitOutcome | null> {
  if (!policy) return Promise.resolve(null);
  return deps.rateLimiter.limit(hash, policy).catch((error: unknown) => {
    log('warn', 'rate limiter unavailable; request let through', { error: error instanceof Error ? error.message : String(error) });
    return null;
  });
}

/** The outcome under the key's real policy: the one already counted, or a recount when the guess was wrong. */
export function settleCount(deps: Pick<Deps, 'rateLimiter' | 'config'>, hash: string, record: ApiKeyRecord, guess: RateLimitPolicy | null, counted: Promise<RateLimitOutcome | null>) {
  const actual = policyFor(deps.config, record);
  return samePolicy(guess, actual) ? counted : countRequest(deps, hash, actual);
}

/** `X-RateLimit-Limit`, `-Remaining` and `-Reset` (epoch seconds when the window ends). */
export function rateLimitHeaders(outcome: RateLimitOutcome): Record<string, string> {
  return {
    'X-RateLimit-Limit': String(outcome.limit),
    'X-RateLimit-Remaining': String(outcome.remaining),
    'X-RateLimit-Reset': String(Math.ceil(outcome.reset / 1000)),
  };
}

/** 429 RATE_LIMITED in the envelope, with `Retry-After` in whole seconds (at least 1). */
export function tooManyRequests(c: Context<AppEnv>, outcome: RateLimitOutcome, policy: RateLimitPolicy | null): Response {
  const retryAfter = Math.max(1, Math.ceil((outcome.reset - c.get('deps').clock.now()) / 1000));
  const per = policy ? ` per ${formatDuration(policy.window_ms)}` : '';
  return errorResponse(
    c,
    'RATE_LIMITED',
    `Rate limit of ${outcome.limit} requests${per} reached for this API key; retry after ${retryAfter} s.`,
    { limit: outcome.limit, remaining: 0, reset: new Date(outcome.reset).toISOString(), retry_after_seconds: retryAfter },
    { ...rateLimitHeaders(outcome), 'Retry-After': String(retryAfter) },
  );
}
