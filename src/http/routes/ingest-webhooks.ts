import { Hono } from 'hono';
import { notFound } from '../../errors';
import { receiveWebhook } from '../../memory/webhook-ingest';
import { ScopeId } from '../schemas';
import type { AppEnv } from '../types';
import { rawBody } from '../validate';
import { parseWebhookPayload } from '../webhook-payloads';

/**
 * POST /v1/ingest/:source — webhook ingestion, authenticated by its Standard Webhooks signature, not
 * an API key. app.ts mounts it before the /v1 sub-app (as /v1/admin is), so apiKeyAuth never runs
 * for it. The raw body is read first: the signature covers the exact bytes.
 */
export const ingestWebhooks = new Hono<AppEnv>().post('/:source', async (c) => {
  const source = c.req.param('source');
  // An id outside the source-id charset can name no source.
  if (!ScopeId.safeParse(source).success) throw notFound(`No webhook source ${source.slice(0, 64)}.`);
  const body = await rawBody(c);
  const delivery = { source, id: c.req.header('webhook-id'), timestamp: c.req.header('webhook-timestamp'), signature: c.req.header('webhook-signature'), body };
  const { status, body: out } = await receiveWebhook(c.get('deps'), delivery, parseWebhookPayload);
  return c.json(out, status);
});
