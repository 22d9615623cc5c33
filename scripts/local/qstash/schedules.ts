/**
 * Schedules: a stored publish (destination, `Upstash-*` headers, body) replayed at each cron tick.
 * Ticks are computed on the local clock whenever deliveries are pulled (drain mode) or the auto
 * loop runs, so advancing the clock makes a schedule fire.
 */
import { cronError, nextTick } from './cron.js';
import { parsePublish, QStashError } from './publish.js';
import { bodyFields, deliveredHeaderLists } from './shapes.js';
import { newId } from './store.js';
import type { MessageState } from './types.js';

/** Ticks published per schedule per call at most; older missed ticks beyond this are skipped. */
const MAX_CATCH_UP = 60;

export interface ScheduleRecord {
  scheduleId: string;
  cron: string;
  destination: string;
  /** Only `content-type` and `upstash-*` headers: all a tick needs to rebuild the publish. */
  headers: Record<string, string>;
  body: Buffer;
  createdAt: number;
  isPaused: boolean;
  /** The last tick accounted for (fired or skipped); ticks after it are still to come. */
  lastTick: number;
  lastScheduleTime?: number;
  lastMessageIds: string[];
  callerIp: string;
}

const kept = (h: Record<string, string>): Record<string, string> =>
  Object.fromEntries(Object.entries(h).filter(([k]) => k === 'content-type' || k.startsWith('upstash-')));

export function createSchedules() {
  const schedules = new Map<string, ScheduleRecord>();
  return {
    schedules,
    /** Creates, or overwrites the schedule named by `Upstash-Schedule-Id` (keeping its pause state). */
    upsert(destination: string, h: Record<string, string>, body: Buffer, now: number, callerIp: string): ScheduleRecord {
      const cron = h['upstash-cron'];
      if (cron === undefined) throw new QStashError('Upstash-Cron header is required');
      const bad = cronError(cron);
      if (bad !== undefined) throw new QStashError(`invalid cron: ${bad}`);
      parsePublish(destination, h, body, now); // validates the destination and every header now
      const scheduleId = h['upstash-schedule-id'] ?? newId('scd');
      const old = schedules.get(scheduleId);
      const s: ScheduleRecord = {
        scheduleId,
        cron,
        destination,
        headers: kept(h),
        body,
        createdAt: old?.createdAt ?? now,
        isPaused: old?.isPaused ?? false,
        lastTick: now,
        lastMessageIds: old?.lastMessageIds ?? [],
        callerIp,
      };
      schedules.set(scheduleId, s);
      return s;
    },
    setPaused(id: string, paused: boolean, now: number): boolean {
      const s = schedules.get(id);
      if (!s) return false;
      s.isPaused = paused;
      // Ticks that fall inside a pause are skipped, never replayed on resume.
      if (!paused) s.lastTick = Math.max(s.lastTick, now);
      return true;
    },
    /**
     * Calls `fire` once per tick that passed since the last one (up to MAX_CATCH_UP per schedule)
     * and returns how many fired. `fire` returns the id of the message it published.
     */
    tick(now: number, fire: (s: ScheduleRecord, tickAt: number) => string): number {
      let fired = 0;
      for (const s of schedules.values()) {
        if (s.isPaused) {
          s.lastTick = Math.max(s.lastTick, now);
          continue;
        }
        const ids: string[] = [];
        for (let t = nextTick(s.cron, s.lastTick); t <= now; t = nextTick(s.cron, t)) {
          if (ids.length >= MAX_CATCH_UP) {
            s.lastTick = now;
            break;
          }
          ids.push(fire(s, t));
          s.lastTick = t;
          s.lastScheduleTime = t;
        }
        if (ids.length > 0) s.lastMessageIds = ids;
        fired += ids.length;
      }
      return fired;
    },
    clear(): void {
      schedules.clear();
    },
  };
}

export type Schedules = ReturnType<typeof createSchedules>;

const SCHEDULE_STATE: Record<MessageState, 'IN_PROGRESS' | 'SUCCESS' | 'FAIL'> = {
  pending: 'IN_PROGRESS',
  in_flight: 'IN_PROGRESS',
  delivered: 'SUCCESS',
  failed: 'FAIL',
  cancelled: 'FAIL',
};

/** The Schedule shape of §3.4. `stateOf` reports the state of the last tick's messages. */
export function scheduleToWire(s: ScheduleRecord, now: number, stateOf: (id: string) => MessageState | undefined): Record<string, unknown> {
  const spec = parsePublish(s.destination, s.headers, s.body, now);
  const delayMs = s.headers['upstash-delay'] === undefined ? undefined : spec.notBefore - now;
  const states: Record<string, string> = {};
  for (const id of s.lastMessageIds) {
    const st = stateOf(id);
    if (st !== undefined) states[id] = SCHEDULE_STATE[st];
  }
  const wire: Record<string, unknown> = {
    scheduleId: s.scheduleId,
    cron: s.cron,
    destination: s.destination,
    createdAt: s.createdAt,
    method: spec.method,
    header: deliveredHeaderLists(spec),
    ...bodyFields(spec.body),
    retries: spec.retries,
    isPaused: s.isPaused,
    callerIp: s.callerIp,
    nextScheduleTime: nextTick(s.cron, Math.max(now, s.lastTick)),
    lastScheduleStates: states,
  };
  const optional: Record<string, unknown> = {
    delay: delayMs === undefined ? undefined : Math.round(delayMs / 1000),
    callback: spec.callback?.url,
    failureCallback: spec.failureCallback?.url,
    queueName: spec.queueName,
    flowControlKey: spec.flowControlKey,
    parallelism: spec.parallelism,
    retryDelayExpression: spec.retryDelay,
    label: spec.labels[0],
    labels: spec.labels.length > 0 ? spec.labels : undefined,
    lastScheduleTime: s.lastScheduleTime,
  };
  for (const [k, v] of Object.entries(optional)) if (v !== undefined) wire[k] = v;
  return wire;
}
