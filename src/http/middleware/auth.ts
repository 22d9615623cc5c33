import type { MiddlewareHandler } from 'hono';
import { constantTimeEqual, sha256Hex } from '../../crypto';
import { AppError } from '../../errors';
import type { ApiKeyRecord } from '../../ports';
import { errorResponse } from '../envelope';
import type { AppEnv } from '../types';
import { countRequest, policyFor, rateLimitHeaders, settleCount, tooManyRequests } from './rate-limit';

/** The credential of `Authorization: <scheme> <credential>`; the scheme is matched case-insensitively. */
function bearer(header: string | undefined, scheme: AuthScheme = 'Bearer'): string | null {
  if (!header) return null;
  const m = /^(\S+)\s+(\S+)$/.exec(header);
  return m && m[1]?.toLowerCase() === scheme.toLowerCase() ? (m[2] ?? null) : null;
}

/** `Bearer` everywhere; `Token` under /mem0, where Mem0's clients send `Authorization: Token <key>`. */
export type AuthScheme = 'Bearer' | 'Token';

/** Reads that may start before the key check lands: they write nothing, and their answer waits for it. */
const READ_ONLY_POSTS = new Set(['/v1/context', '/v1/memories/search']);
const isReadOnly = (method: string, path: string) => method === 'GET' || (method === 'POST' && READ_ONLY_POSTS.has(path));

/** Keys this isolate has verified: hash → record. Bounded; the oldest entry goes first. */
const verified = new Map<string, { record: ApiKeyRecord; at: number }>();
const MAX_VERIFIED = 1000;
/** While Redis cannot answer, a key verified this recently still serves reads (the reads themselves degrade). */
const OUTAGE_GRACE_MS = 60_000;

function remember(hash: string, record: ApiKeyRecord) {
  verified.delete(hash);
  verified.set(hash, { record, at: Date.now() });
  if (verified.size > MAX_VERIFIED) verified.delete(verified.keys().next().value as string);
}

/**
 * Tenant API keys: the key's SHA-256 is looked up in Redis (keys are never stored in clear), so the
 * lookup itself compares hashes, not secrets. Sets `tenant` and `keyId` on the context.
 *
 * Every request checks its key in Redis — a revoked key fails at once, in every isolate. For a read
 * with a key this isolate has verified before, the check runs in the same wave as the route's own
 * reads (the tenant is known from the earlier check) and the answer is released only when the check
 * holds: the hot path stays one round trip. Writes, and keys not seen before, wait for the check first.
 * The rate limit (rate-limit.ts) is counted in the same wave as the check; a key over its limit gets
 * 429 RATE_LIMITED with Retry-After, and every answer carries X-RateLimit-Limit/Remaining/Reset.
 */
export function apiKeyAuth(opts: { scheme?: AuthScheme } = {}): MiddlewareHandler<AppEnv> {
  const scheme = opts.scheme ?? 'Bearer';
  return async function apiKeyAuthMiddleware(c, next) {
    const key = bearer(c.req.header('authorization'), scheme);
    if (!key) throw new AppError('UNAUTHORIZED', `Missing API key: send \`Authorization: ${scheme} <api key>\`.`);
    const hash = await sha256Hex(key);
    const deps = c.get('deps');
    const check = deps.apiKeys.find(hash).then(
      (record) => ({ record }),
      (error: unknown) => ({ error }),
    );
    const known = verified.get(hash);
    // Counted by the key's hash, in the same wave as the lookup (rate-limit.ts).
    const guess = policyFor(deps.config, known?.record);
    const counted = countRequest(deps, hash, guess);
    if (!known || !isReadOnly(c.req.method, c.req.path)) {
      const result = await check;
      if ('error' in result) throw result.error;
      if (!result.record) throw revoked(hash);
      remember(hash, result.record);
      const outcome = await settleCount(deps, hash, result.record, guess, counted);
      // Over the limit: refused before the route runs, so nothing is written.
      if (outcome && !outcome.allowed) return tooManyRequests(c, outcome, policyFor(deps.config, result.record));
      c.set('tenant', result.record.tenant);
      c.set('keyId', result.record.key_id);
      await next();
      if (outcome) for (const [name, value] of Object.entries(rateLimitHeaders(outcome))) c.header(name, value);
      return;
    }
    c.set('tenant', known.record.tenant);
    c.set('keyId', known.record.key_id);
    await next();
    const [result, outcome] = await Promise.all([check, counted]);
    if ('error' in result) {
      if (Date.now() - known.at <= OUTAGE_GRACE_MS) return;
      throw result.error;
    }
    if (!result.record || result.record.tenant !== known.record.tenant) {
      c.res = errorResponse(c, 'UNAUTHORIZED', revoked(hash).message);
      return;
    }
    remember(hash, result.record);
    // A read that ran alongside the count: its answer is replaced when the key was over its limit.
    if (outcome && !outcome.allowed) c.res = tooManyRequests(c, outcome, guess);
    else if (outcome) for (const [name, value] of Object.entries(rateLimitHeaders(outcome))) c.header(name, value);
  };
}

function revoked(hash: string) {
  verified.delete(hash);
  return new AppError('UNAUTHORIZED', 'Invalid or revoked API key.');
}

/** The admin routes: only ADMIN_TOKEN, compared in constant time; a tenant key is refused. */
export function adminAuth(): MiddlewareHandler<AppEnv> {
  return async function adminAuthMiddleware(c, next) {
    const token = bearer(c.req.header('authorization'));
    if (!token) throw new AppError('UNAUTHORIZED', 'Missing admin token: send `Authorization: Bearer <ADMIN_TOKEN>`.');
    if (!(await constantTimeEqual(token, c.get('deps').config.ADMIN_TOKEN))) {
      throw new AppError('FORBIDDEN', 'This route needs the admin token; API keys cannot use it.');
    }
    await next();
  };
}
