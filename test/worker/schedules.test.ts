/**
 * POST /v1/admin/schedules: the recurring jobs as QStash schedules with fixed ids. Checked on the
 * local QStash itself (GET /v2/schedules), then fired by advancing its clock. The schedules are
 * deleted afterwards: an hourly schedule would otherwise fire in every later drain of the queue.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { call, deliver, local, mintKey, ORIGIN, qstash, type Delivery } from './helpers';

const IDS = ['engram-expire', 'engram-compact'];

async function qstashSchedules(): Promise<Array<{ scheduleId: string; cron: string; destination: string }>> {
  const res = await fetch(`${local.qstash}/v2/schedules`, { headers: { authorization: `Bearer ${local.tokens.qstash}` } });
  expect(res.status).toBe(200);
  return res.json() as Promise<Array<{ scheduleId: string; cron: string; destination: string }>>;
}

afterEach(async () => {
  for (const id of IDS) await fetch(`${local.qstash}/v2/schedules/${id}`, { method: 'DELETE', headers: { authorization: `Bearer ${local.tokens.qstash}` } });
});

describe('schedules', () => {
  it('are created only with the admin token', async () => {
    expect((await call('POST', '/v1/admin/schedules')).status).toBe(401);
    const { key } = await mintKey();
    const tenantKey = await call('POST', '/v1/admin/schedules', { key });
    expect(tenantKey.status).toBe(403);
    expect(tenantKey.json.error.code).toBe('FORBIDDEN');
    expect((await qstashSchedules()).filter((s) => IDS.includes(s.scheduleId))).toEqual([]);
  });

  it('creates the expiry and compaction schedules under fixed ids, idempotently', async () => {
    for (let i = 0; i < 2; i++) {
      const res = await call('POST', '/v1/admin/schedules', { key: local.tokens.admin });
      expect(res.status).toBe(200);
      expect(res.json.schedules).toEqual([
        { id: 'engram-expire', path: '/jobs/expire', cron: '0 * * * *' },
        { id: 'engram-compact', path: '/jobs/compact', cron: '30 3 * * *' },
      ]);
    }
    const ours = (await qstashSchedules()).filter((s) => IDS.includes(s.scheduleId)).sort((a, b) => a.scheduleId.localeCompare(b.scheduleId));
    expect(ours.map((s) => [s.scheduleId, s.cron, s.destination])).toEqual([
      ['engram-compact', '30 3 * * *', `${ORIGIN}/jobs/compact`],
      ['engram-expire', '0 * * * *', `${ORIGIN}/jobs/expire`],
    ]);
  });

  it('fire signed deliveries that the Worker accepts', async () => {
    await call('POST', '/v1/admin/schedules', { key: local.tokens.admin });
    await qstash('POST', '/_local/clock', { advance_ms: 24 * 3_600_000 });
    const due = (await qstash('POST', '/_local/qstash/pull', {})) as Delivery[];
    const fired = new Set<string>();
    for (const d of due) {
      const res = await deliver(d);
      const schedule = d.headers['upstash-schedule-id'];
      if (schedule && IDS.includes(schedule)) {
        expect(res.status, res.text).toBe(200);
        fired.add(`${schedule} ${new URL(d.url).pathname}`);
      }
    }
    expect([...fired].sort()).toEqual(['engram-compact /jobs/compact', 'engram-expire /jobs/expire']);
  });
});
