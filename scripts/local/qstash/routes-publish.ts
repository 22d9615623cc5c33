/**
 * Publishing: `POST /v2/publish/{destination}`, `POST /v2/enqueue/{queue}/{destination}` and
 * `POST /v2/batch`. A duplicate (same dedup id, or same content with content-based dedup, within
 * 10 minutes) is answered 202 with the existing messageId and `"deduplicated": true`.
 */
import type { LocalRequest, LocalResponse } from '../server.js';
import type { Core, PublishResult } from './core.js';
import { callerIp, destinationAfter, error, headersOf, json } from './http.js';
import { flattenHeaders, parsePublish, QStashError } from './publish.js';
import type { PublishSpec } from './types.js';

const answer = (r: PublishResult): LocalResponse => json(r, r.deduplicated ? 202 : 200);

function publishOne(core: Core, req: LocalRequest, destination: string, queueName?: string): LocalResponse {
  const now = core.clock.now();
  const spec = parsePublish(destination, headersOf(req), req.body, now);
  if (queueName !== undefined) spec.queueName = queueName;
  return answer(core.publish(spec, { callerIp: callerIp(req), now }));
}

interface BatchItem {
  destination?: unknown;
  headers?: unknown;
  body?: unknown;
  queue?: unknown;
}

/** Parses every item first, so one bad item rejects the whole batch and nothing is half-published. */
function parseBatch(req: LocalRequest, now: number): PublishSpec[] {
  let items: unknown;
  try {
    items = req.json();
  } catch {
    throw new QStashError('batch body must be a JSON array');
  }
  if (!Array.isArray(items)) throw new QStashError('batch body must be a JSON array');
  return items.map((raw: BatchItem, i) => {
    if (typeof raw !== 'object' || raw === null || typeof raw.destination !== 'string') {
      throw new QStashError(`batch item ${i}: destination is required`);
    }
    const headers = typeof raw.headers === 'object' && raw.headers !== null ? flattenHeaders(raw.headers as Record<string, unknown>) : {};
    const body = Buffer.from(typeof raw.body === 'string' ? raw.body : '', 'utf8');
    const spec = parsePublish(raw.destination, headers, body, now);
    if (typeof raw.queue === 'string') spec.queueName = raw.queue;
    return spec;
  });
}

export function publishRoutes(core: Core, req: LocalRequest): LocalResponse | undefined {
  if (req.method !== 'POST') return undefined;
  if (req.path.startsWith('/v2/publish/')) return publishOne(core, req, destinationAfter(req, '/v2/publish/'));
  if (req.path.startsWith('/v2/enqueue/')) {
    const rest = req.path.slice('/v2/enqueue/'.length);
    const slash = rest.indexOf('/');
    if (slash <= 0) return error('enqueue needs /v2/enqueue/{queue}/{destination}');
    const queue = decodeURIComponent(rest.slice(0, slash));
    return publishOne(core, req, destinationAfter(req, `/v2/enqueue/${rest.slice(0, slash)}/`), queue);
  }
  if (req.path === '/v2/batch') {
    const now = core.clock.now();
    const ip = callerIp(req);
    return json(parseBatch(req, now).map((spec) => core.publish(spec, { callerIp: ip, now })));
  }
  return undefined;
}
