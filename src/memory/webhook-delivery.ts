/**
 * Outbound webhooks: each event goes to every endpoint of the tenant subscribed to its type, through
 * the job queue (QStash retries a failed delivery 3 times with backoff, then keeps it in its DLQ).
 *
 * Signed per Standard Webhooks with the endpoint's secret, here, at publish time:
 * - `webhook-id`: `msg_` + 32 hex, derived from the endpoint and the change, so the same change
 *   published twice (a job rerun) has the same id — also QStash's deduplication id. Receivers dedup on it.
 * - `webhook-timestamp`: the publish time (unix seconds), NOT the delivery time: a retry arrives with
 *   the original timestamp, minutes or hours later. Receivers should accept an older timestamp for
 *   Engram's deliveries (or skip the tolerance check) and rely on the id for replays.
 * - `webhook-signature`: `v1,<base64 HMAC-SHA256 of "{id}.{timestamp}.{body}">`.
 *
 * Cost: nothing at all for a tenant without endpoints (the caller already holds the list, read in a
 * wave it makes anyway); otherwise one QStash batch call per 100 deliveries.
 */
import { sha256Hex } from '../crypto';
import type { Deps } from '../deps';
import type { WebhookEndpoint } from '../ports';
import { signWebhook } from '../webhook-signature';
import { type WebhookEvent, webhookBody } from './webhook-events';

export async function sendWebhooks(deps: Pick<Deps, 'queue' | 'clock'>, endpoints: WebhookEndpoint[], events: WebhookEvent[]): Promise<void> {
  const pairs = events.flatMap((event) => endpoints.filter((e) => e.events.includes(event.type)).map((endpoint) => ({ endpoint, event })));
  if (pairs.length === 0) return;
  const timestamp = Math.floor(deps.clock.now() / 1000);
  const messages = await Promise.all(
    pairs.map(async ({ endpoint, event }) => {
      const id = `msg_${(await sha256Hex(`${endpoint.id}|${event.type}|${event.key}`)).slice(0, 32)}`;
      const body = webhookBody(event);
      return {
        url: endpoint.url,
        body,
        headers: {
          'content-type': 'application/json',
          'webhook-id': id,
          'webhook-timestamp': String(timestamp),
          'webhook-signature': await signWebhook(endpoint.secret, id, timestamp, body),
        },
        dedupId: id,
      };
    }),
  );
  await deps.queue.publishTo(messages);
}
