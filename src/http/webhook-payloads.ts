/**
 * The payload formats an ingestion source can speak, read into what the ingest needs.
 *
 * `generic`: `{user_id?, agent_id?, run_id?, messages: [{role, content, name?, id?, created_at?}],
 * metadata?}` — POST /v1/memories' shape (schemas.ts WebhookMessages), always async with extraction.
 *
 * `slack`: a Slack Events API delivery (relayed by something that signs it per Standard Webhooks;
 * Slack's own `X-Slack-Signature` is not checked). A `message` event by a person becomes one user turn:
 *   user_id  ← event.user                      run_id ← `{channel}` or `{channel}-{thread_ts}` in a thread
 *   id       ← event.client_msg_id, else the envelope's event_id, else `{channel}-{ts}`
 *   created_at ← event.ts (seconds.microseconds → ms)   content ← event.text
 *   metadata ← {slack_channel, slack_team?} (plus `source`, added for every source)
 * Messages by bots (`bot_id`), messages with a subtype (edits, deletions, joins …), messages
 * without text and other event types are acknowledged and ignored. A `url_verification` is answered
 * with its challenge.
 */
import * as z from 'zod';
import { invalid } from '../errors';
import type { WebhookPayload } from '../memory/webhook-ingest';
import type { SourceFormat } from '../ports';
import { MAX_CONTENT, ScopeId, scopeOf, WebhookMessages } from './schemas';
import { check } from './validate';

/** Slack's ids (U…, C…, T…) are short; 64 keeps `{channel}-{thread_ts}` inside a 128-character run id. */
const SlackId = ScopeId.max(64);
const SlackTs = z.string().regex(/^\d{1,12}(\.\d{1,6})?$/, 'must be a Slack timestamp such as "1700000000.000100"');

export const SlackMessageEvent = z.object({
  type: z.literal('message'),
  subtype: z.string().optional(),
  bot_id: z.string().optional(),
  user: SlackId.optional(),
  text: z.string().max(MAX_CONTENT).optional(),
  channel: SlackId,
  ts: SlackTs,
  thread_ts: SlackTs.optional(),
  client_msg_id: z.string().min(1).max(128).optional(),
});

export const SlackEnvelope = z.discriminatedUnion('type', [
  z.object({ type: z.literal('url_verification'), challenge: z.string().min(1).max(512) }),
  z.object({
    type: z.literal('event_callback'),
    team_id: z.string().max(64).optional(),
    event_id: z.string().min(1).max(128).optional(),
    event: z.looseObject({ type: z.string() }),
  }),
]);

/** "1700000000.000100" → 1700000000000 (ms; microseconds below a millisecond are dropped). */
export function slackTsMs(ts: string): number {
  const [seconds = '0', fraction = ''] = ts.split('.');
  return Number(seconds) * 1000 + Number(fraction.padEnd(6, '0').slice(0, 3));
}

function slackPayload(value: unknown): WebhookPayload {
  const envelope = check(SlackEnvelope, value, 'Slack payload');
  if (envelope.type === 'url_verification') return { kind: 'challenge', challenge: envelope.challenge };
  if (envelope.event.type !== 'message') return { kind: 'ignored', reason: `Slack event type ${envelope.event.type.slice(0, 64)}` };
  const event = check(SlackMessageEvent, envelope.event, 'Slack message event');
  if (event.subtype !== undefined) return { kind: 'ignored', reason: `Slack message subtype ${event.subtype.slice(0, 64)}` };
  if (event.bot_id !== undefined || event.user === undefined) return { kind: 'ignored', reason: 'Slack message by a bot' };
  if (!event.text?.trim()) return { kind: 'ignored', reason: 'Slack message without text' };
  const run = event.thread_ts ? `${event.channel}-${event.thread_ts}` : event.channel;
  return {
    kind: 'ingest',
    input: {
      scope: { user_id: event.user, run_id: run },
      messages: [{ role: 'user', content: event.text, id: event.client_msg_id ?? envelope.event_id ?? `${event.channel}-${event.ts}`, created_at: slackTsMs(event.ts) }],
      metadata: { slack_channel: event.channel, ...(envelope.team_id && { slack_team: envelope.team_id }) },
    },
  };
}

/** The PayloadParser the ingest route hands to receiveWebhook. */
export function parseWebhookPayload(format: SourceFormat, body: string): WebhookPayload {
  let value: unknown;
  try {
    value = JSON.parse(body);
  } catch {
    throw invalid('Webhook body must be valid JSON.');
  }
  if (format === 'slack') return slackPayload(value);
  const generic = check(WebhookMessages, value, 'webhook payload');
  return { kind: 'ingest', input: { scope: scopeOf(generic), messages: generic.messages, metadata: generic.metadata } };
}
