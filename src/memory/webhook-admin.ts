/**
 * Managing webhooks (admin API): ingestion sources with their secrets, and a tenant's outbound
 * endpoints. Secrets are `whsec_` + 32 random bytes in base64, shown once — in the answer that made them.
 */
import { randomHex } from '../crypto';
import type { Deps } from '../deps';
import { conflict, notFound } from '../errors';
import type { IngestSource, SourceFormat, WebhookEndpoint } from '../ports';
import { newWebhookSecret } from '../webhook-signature';
import { iso } from './model';
import { WEBHOOK_EVENTS, type WebhookEventType } from './webhook-events';

/** Endpoints per tenant: bounds the deliveries one change fans out to. */
export const MAX_ENDPOINTS = 10;
/** Longest a rotated-out source secret may stay valid beside the new one. */
export const MAX_KEEP_PREVIOUS_MS = 7 * 86_400_000;

/**
 * Creates the source (201) or rotates its secret (200). Source ids are global: one that another
 * tenant holds is a 409. On rotation the old secret stops working at once, unless `keepPreviousMs`
 * keeps it valid that long (senders switch over without a gap); the format stays unless given.
 */
export async function saveSource(deps: Pick<Deps, 'sources' | 'clock'>, tenant: string, source: string, opts: { format?: SourceFormat; keepPreviousMs?: number }) {
  const existing = await deps.sources.get(source);
  if (existing && existing.tenant !== tenant) throw conflict(`Source id ${source} is taken by another tenant; choose another.`);
  const now = deps.clock.now();
  const secret = newWebhookSecret();
  const current = existing?.secrets[0];
  const previous = current && opts.keepPreviousMs ? [{ secret: current.secret, until: now + opts.keepPreviousMs }] : [];
  const record: IngestSource = {
    source,
    tenant,
    format: opts.format ?? existing?.format ?? 'generic',
    secrets: [{ secret }, ...previous],
    created_at: existing?.created_at ?? now,
    updated_at: now,
  };
  await deps.sources.put(record);
  return {
    status: existing ? (200 as const) : (201 as const),
    body: {
      source,
      tenant,
      format: record.format,
      secret,
      ingest_path: `/v1/ingest/${source}`,
      created_at: iso(record.created_at) as string,
      updated_at: iso(now) as string,
      ...(previous[0] && { previous_secret_valid_until: iso(previous[0].until) as string }),
    },
  };
}

export async function removeSource(deps: Pick<Deps, 'sources'>, tenant: string, source: string) {
  const existing = await deps.sources.get(source);
  if (!existing || existing.tenant !== tenant) throw notFound(`Tenant ${tenant} has no webhook source ${source}.`);
  await deps.sources.remove(source);
  return { source, deleted: true as const };
}

const publicEndpoint = (e: WebhookEndpoint) => ({ id: e.id, url: e.url, events: e.events, created_at: iso(e.created_at) as string });

/** Registers a URL for `events` (all of them when not given); 201 with the signing secret, shown once. */
export async function registerWebhook(deps: Pick<Deps, 'webhooks' | 'clock'>, tenant: string, input: { url: string; events?: WebhookEventType[] }) {
  const endpoint: WebhookEndpoint = {
    id: `wh_${randomHex(8)}`,
    url: input.url,
    events: WEBHOOK_EVENTS.filter((e) => !input.events || input.events.includes(e)),
    secret: newWebhookSecret(),
    created_at: deps.clock.now(),
  };
  if (!(await deps.webhooks.add(tenant, endpoint, MAX_ENDPOINTS))) throw conflict(`Tenant ${tenant} already has ${MAX_ENDPOINTS} webhooks; delete one first.`);
  return { ...publicEndpoint(endpoint), secret: endpoint.secret };
}

export async function listWebhooks(deps: Pick<Deps, 'webhooks'>, tenant: string) {
  return { webhooks: (await deps.webhooks.list(tenant)).map(publicEndpoint) };
}

export async function removeWebhook(deps: Pick<Deps, 'webhooks'>, tenant: string, id: string) {
  if (!(await deps.webhooks.remove(tenant, id))) throw notFound(`Tenant ${tenant} has no webhook ${id}.`);
  return { id, deleted: true as const };
}
