/**
 * Reading and cancelling messages, the DLQ, the event log and the signing keys:
 *   GET    /v2/messages/{id}         a Message; 404 once it is delivered, failed or cancelled
 *   DELETE /v2/messages/{id}         {"cancelled":1}; 404 when there is nothing left to cancel
 *   DELETE /v2/messages?filters      {"cancelled":N} (messageIds, url, queueName, label, … or all)
 *   GET    /v2/dlq?filters           {"messages":[DlqMessage…],"cursor"?}
 *   DELETE /v2/dlq/{dlqId}           200 {}; 404 when unknown
 *   DELETE /v2/dlq?filters           {"deleted":N}
 *   POST   /v2/dlq/retry?filters     {"responses":[{messageId,url}…]} (also /v2/dlq/retry/{dlqId})
 *   GET    /v2/events | /v2/logs     {"events"|"logs":[…],"cursor"?}
 *   GET    /v2/keys                  {"current","next"} (what the SDK's dev-mode check reads)
 */
import type { LocalRequest, LocalResponse } from '../server.js';
import type { Core } from './core.js';
import { matchesFilter, subjectOf } from './filters.js';
import { error, json } from './http.js';
import { messageToWire } from './shapes.js';
import { isTerminal } from './store.js';

const segment = (path: string, prefix: string): string => decodeURIComponent(path.slice(prefix.length));

function messages(core: Core, req: LocalRequest): LocalResponse | undefined {
  if (req.path === '/v2/messages' && req.method === 'DELETE') {
    // Filter-less (`{all:true}` sends only `count`) cancels every unfinished message.
    const hits = [...core.store.messages.values()].filter((m) => !isTerminal(m) && matchesFilter(subjectOf(m), req.query));
    return json({ cancelled: hits.filter((m) => core.cancel(m)).length });
  }
  if (!req.path.startsWith('/v2/messages/')) return undefined;
  const m = core.store.messages.get(segment(req.path, '/v2/messages/'));
  if (req.method === 'GET') return m && !isTerminal(m) ? json(messageToWire(m)) : error('message not found', 404);
  if (req.method === 'DELETE') return core.cancel(m) ? json({ cancelled: 1 }) : error('message not found', 404);
  return undefined;
}

function dlq(core: Core, req: LocalRequest): LocalResponse | undefined {
  if (req.path === '/v2/dlq' && req.method === 'GET') return json(core.dlq.list(req.query));
  if (req.path === '/v2/dlq' && req.method === 'DELETE') return json({ deleted: core.dlq.take(req.query).length });
  if (req.method === 'POST' && (req.path === '/v2/dlq/retry' || req.path.startsWith('/v2/dlq/retry/'))) {
    const q = new URLSearchParams(req.query);
    if (req.path !== '/v2/dlq/retry') q.append('dlqIds', segment(req.path, '/v2/dlq/retry/'));
    const taken = core.dlq.take(q);
    if (taken.length === 0 && req.path !== '/v2/dlq/retry') return error('dlq message not found', 404);
    return json({ responses: taken.map((e) => core.retryFromDlq(e.message)) });
  }
  if (req.path.startsWith('/v2/dlq/') && req.method === 'DELETE') {
    const id = segment(req.path, '/v2/dlq/');
    return core.dlq.entries.delete(id) ? json({}) : error('dlq message not found', 404);
  }
  return undefined;
}

export function messageRoutes(core: Core, req: LocalRequest, keys: { current: string; next: string }): LocalResponse | undefined {
  if (req.method === 'GET' && req.path === '/v2/events') return json(core.events.list(req.query));
  if (req.method === 'GET' && req.path === '/v2/logs') {
    const { events, cursor } = core.events.list(req.query);
    return json({ logs: events, ...(cursor === undefined ? {} : { cursor }) });
  }
  if (req.method === 'GET' && req.path === '/v2/keys') return json(keys);
  return messages(core, req) ?? dlq(core, req);
}
