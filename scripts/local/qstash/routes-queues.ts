/**
 * Queues:
 *   POST   /v2/queues                     {"queueName","parallelism"?,"paused"?} upsert → 200
 *   GET    /v2/queues                     [{name,createdAt,updatedAt,parallelism,lag,paused}…]
 *   GET    /v2/queues/{name}              one queue; 404 when unknown
 *   DELETE /v2/queues/{name}              200; its unfinished messages are cancelled
 *   POST   /v2/queues/{name}/pause|resume 200; 404 when unknown
 */
import type { LocalRequest, LocalResponse } from '../server.js';
import type { Core } from './core.js';
import { error, json, jsonBody } from './http.js';
import { queueToWire, type QueueRecord } from './queues.js';
import { isTerminal } from './store.js';

function lag(core: Core, name: string): number {
  let n = 0;
  for (const m of core.store.messages.values()) if (m.queueName === name && !isTerminal(m)) n++;
  return n;
}

const wire = (core: Core, q: QueueRecord) => queueToWire(q, lag(core, q.name));

export function queueRoutes(core: Core, req: LocalRequest): LocalResponse | undefined {
  const { queues } = core.queues;
  const now = core.clock.now();
  if (req.path === '/v2/queues') {
    if (req.method === 'GET') return json([...queues.values()].map((q) => wire(core, q)));
    if (req.method !== 'POST') return undefined;
    const b = jsonBody(req);
    if (typeof b.queueName !== 'string' || b.queueName === '') return error('queueName is required');
    const q = core.queues.ensure(b.queueName, now);
    if (typeof b.parallelism === 'number' && b.parallelism >= 1) q.parallelism = Math.floor(b.parallelism);
    if (typeof b.paused === 'boolean') q.paused = b.paused;
    q.updatedAt = now;
    return json({});
  }
  const m = req.path.match(/^\/v2\/queues\/([^/]+)(?:\/(pause|resume))?$/);
  if (!m?.[1]) return undefined;
  const name = decodeURIComponent(m[1]);
  const q = queues.get(name);
  if (m[2] !== undefined && req.method === 'POST') {
    if (!q) return error('queue not found', 404);
    q.paused = m[2] === 'pause';
    q.updatedAt = now;
    return json({});
  }
  if (req.method === 'GET') return q ? json(wire(core, q)) : error('queue not found', 404);
  if (req.method === 'DELETE') {
    for (const msg of core.store.messages.values()) if (msg.queueName === name) core.cancel(msg);
    queues.delete(name);
    return json({});
  }
  return undefined;
}
