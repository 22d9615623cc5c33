import { Hono } from 'hono';
import { randomHex, randomToken, sha256Hex } from '../../crypto';
import { notFound } from '../../errors';
import { ensureSchedules } from '../../memory/schedules';
import { adminAuth } from '../middleware/auth';
import { adminWebhooks } from './admin-webhooks';
import { durationMs, formatDuration } from '../../duration';
import type { ApiKeyRecord } from '../../ports';
import { MintKey, ScopeId } from '../schemas';
import type { AppEnv } from '../types';
import { check, jsonBody } from '../validate';

/**
 * Admin API (ADMIN_TOKEN only): mint a tenant key — returned once, stored as a hash, optionally with
 * its own rate limit `{rate_limit: {requests, window?}}` — and revoke one;
 * create (or overwrite) the QStash schedules of the recurring jobs; webhook sources and endpoints
 * (admin-webhooks.ts).
 */
export const admin = new Hono<AppEnv>()
  .use('*', adminAuth())
  .route('/', adminWebhooks)
  .post('/tenants/:tenant/keys', async (c) => {
    const tenant = check(ScopeId, c.req.param('tenant'), 'tenant id');
    const { rate_limit } = await jsonBody(c, MintKey, { empty: {} });
    const deps = c.get('deps');
    const key = `egk_${randomToken(24)}`;
    const record: ApiKeyRecord = {
      key_id: `key_${randomHex(8)}`,
      tenant,
      created_at: deps.clock.now(),
      ...(rate_limit && { rate_limit: { requests: rate_limit.requests, window_ms: rate_limit.window ? durationMs(rate_limit.window) : deps.config.RATE_LIMIT_WINDOW } }),
    };
    await deps.apiKeys.create(await sha256Hex(key), record);
    return c.json(
      {
        key,
        key_id: record.key_id,
        tenant,
        created_at: new Date(record.created_at).toISOString(),
        ...(record.rate_limit && { rate_limit: { requests: record.rate_limit.requests, window: formatDuration(record.rate_limit.window_ms) } }),
      },
      201,
    );
  })
  .post('/schedules', async (c) => c.json(await ensureSchedules(c.get('deps'))))
  .delete('/keys/:key_id', async (c) => {
    const keyId = c.req.param('key_id');
    if (!(await c.get('deps').apiKeys.revoke(keyId))) throw notFound(`No API key with id ${keyId.slice(0, 64)}.`);
    return c.json({ key_id: keyId, revoked: true });
  });
