import type { MiddlewareHandler } from 'hono';
import { constantTimeEqual, sha256Hex } from '../../crypto';
import { AppError } from '../../errors';
import type { AppEnv } from '../types';

function bearer(header: string | undefined): string | null {
  if (!header) return null;
  const m = /^Bearer\s+(\S+)$/i.exec(header);
  return m?.[1] ?? null;
}

/**
 * Tenant API keys: the key's SHA-256 is looked up in Redis (keys are never stored in clear), so the
 * lookup itself compares hashes, not secrets. Sets `tenant` and `keyId` on the context.
 */
export function apiKeyAuth(): MiddlewareHandler<AppEnv> {
  return async function apiKeyAuthMiddleware(c, next) {
    const key = bearer(c.req.header('authorization'));
    if (!key) throw new AppError('UNAUTHORIZED', 'Missing API key: send `Authorization: Bearer <api key>`.');
    const record = await c.get('deps').apiKeys.find(await sha256Hex(key));
    if (!record) throw new AppError('UNAUTHORIZED', 'Invalid or revoked API key.');
    c.set('tenant', record.tenant);
    c.set('keyId', record.key_id);
    await next();
  };
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
