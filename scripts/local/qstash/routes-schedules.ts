/**
 * Schedules:
 *   POST   /v2/schedules/{destination}           Upstash-Cron (+ Upstash-Schedule-Id to overwrite) → {"scheduleId"}
 *   GET    /v2/schedules                         [Schedule…]
 *   GET    /v2/schedules/{id}                    Schedule; 404 when unknown
 *   DELETE /v2/schedules/{id}                    200 (also when unknown: deleting is idempotent here)
 *   PATCH|POST /v2/schedules/{id}/pause|resume   200; 404 when unknown (the SDK uses PATCH, OpenAPI POST)
 */
import type { LocalRequest, LocalResponse } from '../server.js';
import type { Core } from './core.js';
import { callerIp, destinationAfter, error, headersOf, json } from './http.js';
import { assertDestination } from './publish.js';
import { scheduleToWire, type ScheduleRecord } from './schedules.js';

const PREFIX = '/v2/schedules/';

function wire(core: Core, s: ScheduleRecord): Record<string, unknown> {
  return scheduleToWire(s, core.clock.now(), (id) => core.store.messages.get(id)?.state);
}

export function scheduleRoutes(core: Core, req: LocalRequest): LocalResponse | undefined {
  const { schedules } = core.schedules;
  if (req.path === '/v2/schedules' && req.method === 'GET') {
    return json([...schedules.values()].sort((a, b) => a.createdAt - b.createdAt).map((s) => wire(core, s)));
  }
  if (!req.path.startsWith(PREFIX)) return undefined;
  const rest = req.path.slice(PREFIX.length);
  const toggle = rest.match(/^([^/]+)\/(pause|resume)$/);
  if (toggle?.[1] !== undefined && (req.method === 'PATCH' || req.method === 'POST')) {
    const ok = core.schedules.setPaused(decodeURIComponent(toggle[1]), toggle[2] === 'pause', core.clock.now());
    return ok ? json({}) : error('schedule not found', 404);
  }
  if (req.method === 'POST') {
    const destination = destinationAfter(req, PREFIX);
    assertDestination(destination);
    const s = core.schedules.upsert(destination, headersOf(req), req.body, core.clock.now(), callerIp(req));
    return json({ scheduleId: s.scheduleId });
  }
  const id = decodeURIComponent(rest);
  if (req.method === 'GET') {
    const s = schedules.get(id);
    return s ? json(wire(core, s)) : error('schedule not found', 404);
  }
  if (req.method === 'DELETE') {
    schedules.delete(id);
    return json({});
  }
  return undefined;
}
