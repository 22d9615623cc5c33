import { Hono } from 'hono';
import { durationMs } from '../../duration';
import { listWebhooks, registerWebhook, removeSource, removeWebhook, saveSource } from '../../memory/webhook-admin';
import { RegisterWebhook, SaveSource, ScopeId, WebhookIdParam } from '../schemas';
import type { AppEnv } from '../types';
import { check, jsonBody } from '../validate';

/**
 * Webhook administration, mounted inside the admin app (ADMIN_TOKEN only, checked there):
 *   POST   /tenants/:tenant/sources/:source   create (201) or rotate (200) an ingestion source; the secret is in the answer only
 *   DELETE /tenants/:tenant/sources/:source
 *   POST   /tenants/:tenant/webhooks          register an outbound endpoint {url, events?} → {id, secret, …}
 *   GET    /tenants/:tenant/webhooks          the tenant's endpoints (no secrets)
 *   DELETE /tenants/:tenant/webhooks/:id
 */
export const adminWebhooks = new Hono<AppEnv>()
  .post('/tenants/:tenant/sources/:source', async (c) => {
    const tenant = check(ScopeId, c.req.param('tenant'), 'tenant id');
    const source = check(ScopeId, c.req.param('source'), 'source id');
    const body = await jsonBody(c, SaveSource, { empty: {} });
    const opts = { ...(body.format && { format: body.format }), ...(body.keep_previous_for && { keepPreviousMs: durationMs(body.keep_previous_for) }) };
    const { status, body: out } = await saveSource(c.get('deps'), tenant, source, opts);
    return c.json(out, status);
  })
  .delete('/tenants/:tenant/sources/:source', async (c) =>
    c.json(await removeSource(c.get('deps'), check(ScopeId, c.req.param('tenant'), 'tenant id'), check(ScopeId, c.req.param('source'), 'source id'))),
  )
  .post('/tenants/:tenant/webhooks', async (c) => {
    const tenant = check(ScopeId, c.req.param('tenant'), 'tenant id');
    return c.json(await registerWebhook(c.get('deps'), tenant, await jsonBody(c, RegisterWebhook)), 201);
  })
  .get('/tenants/:tenant/webhooks', async (c) => c.json(await listWebhooks(c.get('deps'), check(ScopeId, c.req.param('tenant'), 'tenant id'))))
  .delete('/tenants/:tenant/webhooks/:id', async (c) =>
    c.json(await removeWebhook(c.get('deps'), check(ScopeId, c.req.param('tenant'), 'tenant id'), check(WebhookIdParam, c.req.param('id'), 'webhook id'))),
  );
