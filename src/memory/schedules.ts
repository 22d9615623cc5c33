/**
 * The recurring jobs, as QStash schedules with fixed ids: creating them again overwrites them (same
 * id), so `ensureSchedules` is idempotent and safe to call on every deploy or start. Crons come from
 * config (EXPIRE_CRON, COMPACT_CRON; UTC).
 */
import type { Deps } from '../deps';
import { COMPACT_PATH } from './compact';
import { EXPIRE_PATH } from './expire';

export const EXPIRE_SCHEDULE_ID = 'engram-expire';
export const COMPACT_SCHEDULE_ID = 'engram-compact';

export async function ensureSchedules(deps: Pick<Deps, 'queue' | 'config'>) {
  const schedules = [
    { id: EXPIRE_SCHEDULE_ID, path: EXPIRE_PATH, cron: deps.config.EXPIRE_CRON },
    { id: COMPACT_SCHEDULE_ID, path: COMPACT_PATH, cron: deps.config.COMPACT_CRON },
  ];
  await Promise.all(schedules.map((s) => deps.queue.schedule(s.id, s.path, s.cron)));
  return { schedules };
}
