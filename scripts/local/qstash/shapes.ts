/**
 * The JSON shapes the SDK reads (UPSTASH_PROTOCOLS.md §3.4): Message, DlqMessage. Optional fields
 * are left out rather than sent as null, as the real service does.
 */
import { isUtf8 } from 'node:buffer';
import type { DlqEntry, StoredMessage } from './types.js';

/** Go's canonical header form ("x-my-header" → "X-My-Header"), which the real service reports. */
export function canonicalHeaderName(name: string): string {
  return name.toLowerCase().replace(/(^|-)([a-z])/g, (_, dash: string, c: string) => dash + c.toUpperCase());
}

/** name → value becomes Canonical-Name → [value], the `header` shape of messages and schedules. */
export function headerLists(headers: Record<string, string>): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const [name, value] of Object.entries(headers)) out[canonicalHeaderName(name)] = [value];
  return out;
}

/** `{body}` when the bytes are UTF-8, else `{bodyBase64}`; nothing for an empty body. */
export function bodyFields(body: Buffer, names = { text: 'body', b64: 'bodyBase64' }): Record<string, string> {
  if (body.length === 0) return {};
  return isUtf8(body) ? { [names.text]: body.toString('utf8') } : { [names.b64]: body.toString('base64') };
}

/** The headers a message will be delivered with, as `header` reports them (forwarded + Content-Type). */
export function deliveredHeaderLists(m: Pick<StoredMessage, 'forward' | 'contentType'>): Record<string, string[]> {
  const all: Record<string, string> = { ...m.forward };
  if (m.contentType !== undefined) all['content-type'] = m.contentType;
  return headerLists(all);
}

function defined(obj: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(obj).filter(([, v]) => v !== undefined));
}

export function messageToWire(m: StoredMessage): Record<string, unknown> {
  return defined({
    messageId: m.messageId,
    url: m.url,
    method: m.method,
    header: deliveredHeaderLists(m),
    ...bodyFields(m.body),
    maxRetries: m.retries,
    retryDelayExpression: m.retryDelay,
    notBefore: m.notBefore,
    createdAt: m.createdAt,
    callback: m.callback?.url,
    failureCallback: m.failureCallback?.url,
    queueName: m.queueName,
    scheduleId: m.scheduleId,
    callerIp: m.callerIp,
    flowControlKey: m.flowControlKey,
    parallelism: m.parallelism,
    label: m.labels[0],
    labels: m.labels.length > 0 ? m.labels : undefined,
  });
}

export function dlqToWire(e: DlqEntry): Record<string, unknown> {
  return {
    ...messageToWire(e.message),
    dlqId: e.dlqId,
    responseStatus: e.response.status,
    responseHeader: headerLists(e.response.headers),
    ...bodyFields(Buffer.from(e.response.body, 'utf8'), { text: 'responseBody', b64: 'responseBodyBase64' }),
  };
}
