/**
 * Webhook ingestion (`POST /v1/ingest/:source`): a signed delivery from another system becomes an
 * asynchronous ingest into the tenant the source belongs to. No API key: the Standard Webhooks
 * signature with the source's secret is the credential.
 *
 * Order, so that nothing is written for a refused delivery:
 * 1. the three headers must be present (401) — before any read;
 * 2. the source is read (404 when unknown);
 * 3. timestamp within ±5 min and one `v1` signature matching a live secret (401);
 * 4. the payload is parsed for the source's format (400);
 * 5. the delivery id is taken with SET NX EX (401 when already taken: a replay). It lives for twice
 *    the tolerance, the longest a captured delivery stays inside the timestamp window;
 * 6. the ingest (202, or 200 for a payload that carries nothing to remember). If the ingest fails,
 *    the id is released so the sender's retry of the same delivery is accepted.
 */
import type { Deps } from '../deps';
import { AppError, notFound } from '../errors';
import type { SourceFormat } from '../ports';
import { TOLERANCE_SECONDS, verifyWebhook } from '../webhook-signature';
import { ingest, type IngestInput } from './ingest';

export const REPLAY_TTL_SECONDS = 2 * TOLERANCE_SECONDS;
/** Sender ids are opaque; printable ASCII without spaces keeps them safe inside a Redis key. */
const DELIVERY_ID = /^[\x21-\x7e]{1,256}$/;

export interface SignedDelivery {
  source: string;
  id: string | undefined;
  timestamp: string | undefined;
  signature: string | undefined;
  body: string;
}

/** What a verified payload asks for. */
export type WebhookPayload =
  | { kind: 'ingest'; input: Pick<IngestInput, 'scope' | 'messages' | 'metadata'> }
  /** A payload with nothing to remember (a bot's message, an edit notice …): acknowledged, not stored. */
  | { kind: 'ignored'; reason: string }
  /** Slack's URL verification handshake: answered with its challenge. */
  | { kind: 'challenge'; challenge: string };

/** Reads the raw body for a format; throws INVALID_INPUT for a body the format does not allow. */
export type PayloadParser = (format: SourceFormat, body: string) => WebhookPayload;

type WebhookIngestDeps = Pick<Deps, 'sources' | 'turns' | 'events' | 'queue' | 'index' | 'ledger' | 'llm' | 'clock' | 'config' | 'webhooks' | 'graph'>;

const unauthorized = (message: string) => new AppError('UNAUTHORIZED', message);

export async function receiveWebhook(deps: WebhookIngestDeps, delivery: SignedDelivery, parse: PayloadParser) {
  const { id, timestamp, signature } = delivery;
  if (!id || !timestamp || !signature) throw unauthorized('Missing webhook-id, webhook-timestamp or webhook-signature (Standard Webhooks).');
  if (!DELIVERY_ID.test(id)) throw unauthorized('webhook-id must be 1-256 printable ASCII characters without spaces.');

  const source = await deps.sources.get(delivery.source);
  if (!source) throw notFound(`No webhook source ${delivery.source}.`);
  const now = deps.clock.now();
  const secrets = source.secrets.filter((s) => s.until === undefined || s.until > now).map((s) => s.secret);
  const verdict = await verifyWebhook({ id, timestamp, signature, body: delivery.body }, secrets, now);
  if (verdict === 'expired') throw unauthorized(`webhook-timestamp is more than ${TOLERANCE_SECONDS} s away from the server's clock.`);
  if (verdict !== 'valid') throw unauthorized('No webhook-signature matches this source\'s secret.');

  const payload = parse(source.format, delivery.body);
  if (!(await deps.sources.firstDelivery(source.tenant, source.source, id, REPLAY_TTL_SECONDS))) {
    throw unauthorized(`Delivery ${id} was already received (replay).`);
  }
  if (payload.kind === 'challenge') return { status: 200 as const, body: { challenge: payload.challenge } };
  if (payload.kind === 'ignored') return { status: 200 as const, body: { ignored: payload.reason } };
  try {
    const { input } = payload;
    return await ingest(deps, source.tenant, { ...input, metadata: { source: source.source, ...input.metadata }, infer: true, mode: 'async' });
  } catch (err) {
    await deps.sources.forgetDelivery(source.tenant, source.source, id).catch(() => undefined);
    throw err;
  }
}
