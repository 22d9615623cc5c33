/** Registry entries: webhook ingestion (/v1/ingest, signed by the sender) and its admin routes. */
import * as z from 'zod';
import type { removeSource, removeWebhook, saveSource } from '../../../memory/webhook-admin';
import { WEBHOOK_EVENTS } from '../../../memory/webhook-events';
import { RegisterWebhook, SaveSource, ScopeId, WebhookIdParam, WebhookMessages } from '../../schemas';
import { route } from '../route';

const IsoTime = z.iso.datetime();
type Answer<F extends (...args: never[]) => unknown> = Awaited<ReturnType<F>>;

export const SourceSecret = z.strictObject({
  source: z.string(),
  tenant: z.string(),
  format: z.enum(['generic', 'slack']),
  secret: z.string(),
  ingest_path: z.string(),
  created_at: IsoTime,
  updated_at: IsoTime,
  previous_secret_valid_until: IsoTime.optional(),
}) satisfies z.ZodType<Answer<typeof saveSource>['body']>;
export const RemovedSource = z.strictObject({ source: z.string(), deleted: z.literal(true) }) satisfies z.ZodType<Answer<typeof removeSource>>;
const endpointFields = { id: z.string(), url: z.string(), events: z.array(z.enum(WEBHOOK_EVENTS)), created_at: IsoTime };
export const WebhookEndpoint = z.strictObject(endpointFields);
export const RegisteredWebhook = z.strictObject({ ...endpointFields, secret: z.string() });
export const WebhookList = z.strictObject({ webhooks: z.array(WebhookEndpoint) });
export const RemovedWebhook = z.strictObject({ id: z.string(), deleted: z.literal(true) }) satisfies z.ZodType<Answer<typeof removeWebhook>>;
const Queued = z.strictObject({ event_id: z.string(), status: z.literal('queued') });
const Acknowledged = z.union([z.strictObject({ ignored: z.string() }), z.strictObject({ challenge: z.string() })]);

const tenantAndSource = { tenant: ScopeId, source: ScopeId };

export const webhookRoutes = [
  route({
    operationId: 'ingestWebhook',
    method: 'post',
    path: '/v1/ingest/:source',
    tag: 'Webhooks',
    summary: 'Ingest a signed webhook delivery',
    description:
      'Authenticated by a Standard Webhooks signature with the source\'s secret, not by an API key: headers ' +
      '`webhook-id`, `webhook-timestamp` (unix seconds, within 5 minutes of the server clock) and ' +
      '`webhook-signature` (space-separated `v1,<base64 HMAC-SHA256 of "{id}.{timestamp}.{raw body}">`). A ' +
      'webhook-id is accepted once. The source (created with the admin API) names the tenant and the payload ' +
      'format: `generic` is the body below (always asynchronous, with extraction); `slack` is a Slack Events ' +
      'API delivery, whose `message` events by people become user turns (other events are acknowledged with ' +
      '`{ignored}`, a `url_verification` with its `{challenge}`).',
    auth: 'none',
    params: { source: ScopeId },
    body: WebhookMessages,
    responses: {
      202: { description: 'Accepted: the turns are in the session buffer and extraction is queued.', schema: Queued },
      200: { description: 'Verified, nothing to store (an ignored event), or the challenge of a URL verification.', schema: Acknowledged },
    },
    errors: ['UNAUTHORIZED', 'NOT_FOUND', 'UPSTREAM_UNAVAILABLE'],
    example: { params: { source: 'crm-notes' }, body: { user_id: 'alice', run_id: 'ticket-42', messages: [{ role: 'user', content: 'Please ship to my Berlin office from now on.' }] } },
  }),
  route({
    operationId: 'saveSource',
    method: 'post',
    path: '/v1/admin/tenants/:tenant/sources/:source',
    tag: 'Webhooks',
    summary: 'Create an ingestion source, or rotate its secret',
    description:
      'Answers 201 for a new source, 200 for a rotation, with the `whsec_…` secret, shown only here. Source ids ' +
      'are global (the ingest URL names no tenant): one another tenant holds is a 409. On rotation the old ' +
      'secret stops at once unless `keep_previous_for` keeps it valid beside the new one.',
    auth: 'admin',
    params: tenantAndSource,
    body: SaveSource,
    bodyOptional: true,
    responses: { 201: { description: 'Created.', schema: SourceSecret }, 200: { description: 'Rotated.', schema: SourceSecret } },
    errors: ['CONFLICT'],
    example: { params: { tenant: 'acme', source: 'acme-slack' }, body: { format: 'slack', keep_previous_for: '1 h' } },
  }),
  route({
    operationId: 'deleteSource',
    method: 'delete',
    path: '/v1/admin/tenants/:tenant/sources/:source',
    tag: 'Webhooks',
    summary: 'Delete an ingestion source',
    description: 'Deliveries to it are refused (404) at once.',
    auth: 'admin',
    params: tenantAndSource,
    responses: { 200: { description: 'Deleted.', schema: RemovedSource } },
    errors: ['NOT_FOUND'],
    example: { params: { tenant: 'acme', source: 'acme-slack' } },
  }),
  route({
    operationId: 'registerWebhook',
    method: 'post',
    path: '/v1/admin/tenants/:tenant/webhooks',
    tag: 'Webhooks',
    summary: 'Register an outbound webhook endpoint',
    description:
      `Engram POSTs \`{type, timestamp, data}\` to the URL for each event of \`events\` (default: all of ${WEBHOOK_EVENTS.join(', ')}), ` +
      'through QStash (3 retries with backoff, then its DLQ), signed per Standard Webhooks with the returned ' +
      'secret (shown only here). `webhook-timestamp` is the publish time: a retry keeps it, so accept older ' +
      'timestamps from Engram and deduplicate on `webhook-id`. At most 10 endpoints per tenant (409).',
    auth: 'admin',
    params: { tenant: ScopeId },
    body: RegisterWebhook,
    responses: { 201: { description: 'Registered.', schema: RegisteredWebhook } },
    errors: ['CONFLICT'],
    example: { params: { tenant: 'acme' }, body: { url: 'https://hooks.example.com/engram', events: ['memory.added', 'event.failed'] } },
  }),
  route({
    operationId: 'listWebhooks',
    method: 'get',
    path: '/v1/admin/tenants/:tenant/webhooks',
    tag: 'Webhooks',
    summary: 'List a tenant\'s webhook endpoints',
    description: 'Oldest first; secrets are never shown again.',
    auth: 'admin',
    params: { tenant: ScopeId },
    responses: { 200: { description: 'The endpoints.', schema: WebhookList } },
    example: { params: { tenant: 'acme' } },
  }),
  route({
    operationId: 'deleteWebhook',
    method: 'delete',
    path: '/v1/admin/tenants/:tenant/webhooks/:id',
    tag: 'Webhooks',
    summary: 'Delete a webhook endpoint',
    description: 'No new deliveries are published to it; ones already queued still arrive.',
    auth: 'admin',
    params: { tenant: ScopeId, id: WebhookIdParam },
    responses: { 200: { description: 'Deleted.', schema: RemovedWebhook } },
    errors: ['NOT_FOUND'],
    example: { params: { tenant: 'acme', id: 'wh_0123456789abcdef' } },
  }),
];
