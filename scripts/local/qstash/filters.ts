/**
 * The query-string filters of bulk cancel, DLQ list/delete/retry and events. A repeated key is an
 * OR of its values (`?url=a&url=b`); different keys are ANDed. `fromDate`/`toDate` are epoch ms.
 * Keys that only steer paging (`count`, `cursor`) or that we do not know are ignored.
 */
import type { StoredMessage } from './types.js';

export interface FilterSubject {
  messageId: string;
  url: string;
  /** The time `fromDate`/`toDate` compare against (creation, DLQ entry or event time). */
  time: number;
  labels: string[];
  queueName?: string;
  scheduleId?: string;
  flowControlKey?: string;
  callerIp?: string;
  dlqId?: string;
  responseStatus?: number;
  state?: string;
}

export function subjectOf(m: StoredMessage, time = m.createdAt): FilterSubject {
  const s: FilterSubject = { messageId: m.messageId, url: m.url, time, labels: m.labels, callerIp: m.callerIp };
  if (m.queueName !== undefined) s.queueName = m.queueName;
  if (m.scheduleId !== undefined) s.scheduleId = m.scheduleId;
  if (m.flowControlKey !== undefined) s.flowControlKey = m.flowControlKey;
  return s;
}

function urlPart(url: string, part: 'host' | 'pathname'): string {
  try {
    return new URL(url)[part];
  } catch {
    return '';
  }
}

/** The subject's values for one filter key; undefined when the key is not a filter. */
function valuesFor(s: FilterSubject, key: string): Array<string | undefined> | undefined {
  switch (key) {
    case 'messageId':
    case 'messageIds':
      return [s.messageId];
    case 'dlqId':
    case 'dlqIds':
      return [s.dlqId];
    case 'url':
      return [s.url];
    case 'host':
      return [urlPart(s.url, 'host')];
    case 'path':
      return [urlPart(s.url, 'pathname')];
    case 'label':
      return s.labels;
    case 'queueName':
    case 'scheduleId':
    case 'flowControlKey':
    case 'callerIp':
    case 'state':
      return [s[key]];
    case 'responseStatus':
      return [s.responseStatus === undefined ? undefined : String(s.responseStatus)];
    case 'topicName':
      // URL groups are not supported, so no message has a topic: a topic filter matches nothing.
      return [];
    default:
      return undefined;
  }
}

export function matchesFilter(s: FilterSubject, q: URLSearchParams): boolean {
  const from = q.get('fromDate');
  const to = q.get('toDate');
  if (from !== null && s.time < Number(from)) return false;
  if (to !== null && s.time > Number(to)) return false;
  for (const key of new Set(q.keys())) {
    const have = valuesFor(s, key);
    if (have === undefined) continue;
    const want = q.getAll(key);
    if (!have.some((v) => v !== undefined && want.includes(v))) return false;
  }
  return true;
}

/** Offset paging: `cursor` is the index to start at; the answer's cursor is absent at the end. */
export function page<T>(items: T[], q: URLSearchParams, defaultCount = 100): { items: T[]; cursor?: string } {
  const start = Math.max(0, Number(q.get('cursor') ?? 0) || 0);
  const count = Math.max(1, Number(q.get('count') ?? defaultCount) || defaultCount);
  const slice = items.slice(start, start + count);
  return start + count < items.length ? { items: slice, cursor: String(start + count) } : { items: slice };
}
