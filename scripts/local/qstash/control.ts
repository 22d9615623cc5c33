/**
 * QStash's own control routes (behind the server token, like the shared /_local/* ones), so a test
 * running inside workerd can drive delivery over HTTP:
 *   POST /_local/qstash/pull      {max?}                     → [PendingDelivery…] due now, marked in flight
 *   POST /_local/qstash/report    {id,status,headers?,body?} → {ok,message_id,state}
 *   POST /_local/qstash/drain                                → {attempted}: real fetch() delivery of all that is due
 *   GET  /_local/qstash/messages                             → [message summary…], every state
 */
import type { LocalRequest, LocalResponse } from '../server.js';
import type { Core } from './core.js';
import { error, json, jsonBody } from './http.js';
import type { StoredMessage } from './types.js';

/** One message as tests see it: snake_case, states pending|in_flight|delivered|failed|cancelled. */
export function messageSummary(m: StoredMessage): Record<string, unknown> {
  return {
    message_id: m.messageId,
    kind: m.kind,
    state: m.state,
    url: m.url,
    method: m.method,
    retried: m.retried,
    max_retries: m.retries,
    created_at: m.createdAt,
    due_at: m.dueAt,
    schedule_id: m.scheduleId ?? null,
    queue_name: m.queueName ?? null,
    dlq_id: m.dlqId ?? null,
    last_status: m.lastResponse?.status ?? null,
    content_type: m.contentType ?? null,
    headers: m.forward,
    body: m.body.toString('utf8'),
  };
}

export function stateSummary(core: Core, mode: string): Record<string, unknown> {
  const counts: Record<string, number> = { pending: 0, in_flight: 0, delivered: 0, failed: 0, cancelled: 0 };
  const all = [...core.store.messages.values()];
  for (const m of all) counts[m.state] = (counts[m.state] ?? 0) + 1;
  return {
    mode,
    now: core.clock.now(),
    counts: { ...counts, dlq: core.dlq.entries.size, schedules: core.schedules.schedules.size, queues: core.queues.queues.size },
    messages: all.map((m) => ({ message_id: m.messageId, state: m.state, url: m.url, retried: m.retried, due_at: m.dueAt })),
  };
}

export async function controlRoutes(core: Core, req: LocalRequest, drain: () => Promise<number>): Promise<LocalResponse | undefined> {
  const key = `${req.method} ${req.path}`;
  switch (key) {
    case 'POST /_local/qstash/pull': {
      const max = jsonBody(req).max;
      return json(core.pull(typeof max === 'number' && max > 0 ? max : undefined).map((p) => p.delivery));
    }
    case 'POST /_local/qstash/report': {
      const b = jsonBody(req);
      if (typeof b.id !== 'string' || typeof b.status !== 'number') return error('report needs {id: string, status: number}');
      const outcome = {
        status: b.status,
        ...(typeof b.headers === 'object' && b.headers !== null ? { headers: b.headers as Record<string, string> } : {}),
        ...(typeof b.body === 'string' ? { body: b.body } : {}),
      };
      const m = core.report(b.id, outcome);
      return json({ ok: true, message_id: m.messageId, state: m.state });
    }
    case 'POST /_local/qstash/drain':
      return json({ attempted: await drain() });
    case 'GET /_local/qstash/messages':
      return json([...core.store.messages.values()].map(messageSummary));
    default:
      return undefined;
  }
}
