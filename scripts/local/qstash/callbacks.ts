/**
 * Callbacks (docs qstash/features/callbacks.mdx, UPSTASH_PROTOCOLS.md §3.5): after each attempt of a
 * message with `Upstash-Callback`, and once after it lands in the DLQ for `Upstash-Failure-Callback`,
 * QStash publishes a JSON message describing the attempt to the callback URL. That message is signed
 * like any other (sub = the callback URL) and retried on its own; it never has callbacks itself.
 */
import { headerLists } from './shapes.js';
import type { CallbackSpec, PublishSpec, ResponseRecord, StoredMessage } from './types.js';

/**
 * The callback body. Response and source bodies are base64; `notBefore`/`createdAt` are ms as
 * strings, as in the docs' example. `retried` is the `Upstash-Retried` of the attempt reported.
 */
export function callbackPayload(m: StoredMessage, res: ResponseRecord, retried: number, dlqId?: string): Record<string, unknown> {
  const payload: Record<string, unknown> = {
    status: res.status,
    header: headerLists(res.headers),
    body: Buffer.from(res.body, 'utf8').toString('base64'),
    retried,
    maxRetries: m.retries,
    sourceMessageId: m.messageId,
    url: m.url,
    method: m.method,
    sourceHeader: headerLists(m.contentType === undefined ? m.forward : { ...m.forward, 'content-type': m.contentType }),
    sourceBody: m.body.toString('base64'),
    notBefore: String(m.notBefore),
    createdAt: String(m.createdAt),
    callerIP: m.callerIp,
  };
  if (m.scheduleId !== undefined) payload.scheduleId = m.scheduleId;
  if (m.queueName !== undefined) payload.queueName = m.queueName;
  if (dlqId !== undefined) payload.dlqId = dlqId;
  return payload;
}

/** The publish that delivers a callback payload per its `Upstash-[Failure-]Callback-*` settings. */
export function callbackPublish(cb: CallbackSpec, payload: Record<string, unknown>, now: number): PublishSpec {
  const spec: PublishSpec = {
    url: cb.url,
    method: cb.method,
    body: cb.method === 'GET' ? Buffer.alloc(0) : Buffer.from(JSON.stringify(payload), 'utf8'),
    contentType: 'application/json',
    forward: cb.forward,
    notBefore: now + cb.delayMs,
    retries: cb.retries,
    contentDedup: false,
    labels: [],
  };
  if (cb.retryDelay !== undefined) spec.retryDelay = cb.retryDelay;
  if (cb.timeoutMs !== undefined) spec.timeoutMs = cb.timeoutMs;
  return spec;
}
