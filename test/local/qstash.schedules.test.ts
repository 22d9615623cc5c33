// Local QStash schedules through the official Client: create (and overwrite by id), get, list,
// pause, resume, delete; ticks fire on the local clock and carry Upstash-Schedule-Id.
import { Client } from '@upstash/qstash';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startQStash, type LocalQStash } from '../../scripts/local/qstash.js';

const TOKEN = 'qstash-schedule-test-token';
let server: LocalQStash;
let client: Client;

/** Moves the local clock to just after the next whole minute, so a `* * * * *` schedule ticks once. */
const nextMinute = (): void => {
  const now = server.clock.now();
  server.clock.set(now - (now % 60_000) + 60_000 + 10);
};

beforeAll(async () => {
  server = await startQStash({ token: TOKEN, currentSigningKey: 'sig_c', nextSigningKey: 'sig_n', delivery: 'drain' });
  client = new Client({ baseUrl: server.url, token: TOKEN, retry: false });
});
afterAll(() => server.close());
beforeEach(async () => {
  await fetch(`${server.url}/_local/reset`, { method: 'POST', headers: { authorization: `Bearer ${TOKEN}` } });
  // Start each test 1 s into a minute, so no real minute boundary can slip in mid-test.
  nextMinute();
  server.clock.advance(990);
});

describe('schedules', () => {
  it('create, get and list return the Schedule shape', async () => {
    const { scheduleId } = await client.schedules.create({
      destination: 'https://app.example/jobs/expire?all=1',
      cron: '*/5 * * * *',
      body: '{"kind":"expire"}',
      headers: { 'X-Job': 'expire' },
      retries: 1,
    });
    expect(scheduleId).toMatch(/^scd_/);
    const s = await client.schedules.get(scheduleId);
    expect(s).toMatchObject({
      scheduleId,
      cron: '*/5 * * * *',
      destination: 'https://app.example/jobs/expire?all=1',
      method: 'POST',
      body: '{"kind":"expire"}',
      retries: 1,
      isPaused: false,
    });
    expect(s.header?.['X-Job']).toEqual(['expire']);
    expect(s.header?.['Content-Type']).toEqual(['application/json']);
    expect(s.nextScheduleTime! % 300_000).toBe(0);
    expect((await client.schedules.list()).map((x) => x.scheduleId)).toEqual([scheduleId]);
  });

  it('Upstash-Schedule-Id makes create idempotent: the same id is overwritten', async () => {
    await client.schedules.create({ destination: 'https://app.example/a', cron: '0 * * * *', scheduleId: 'nightly' });
    const again = await client.schedules.create({ destination: 'https://app.example/b', cron: '0 3 * * *', scheduleId: 'nightly' });
    expect(again.scheduleId).toBe('nightly');
    const list = await client.schedules.list();
    expect(list).toHaveLength(1);
    expect(list[0]).toMatchObject({ destination: 'https://app.example/b', cron: '0 3 * * *' });
  });

  it('rejects a bad cron or destination with 400', async () => {
    await expect(client.schedules.create({ destination: 'https://app.example/a', cron: 'every day' })).rejects.toMatchObject({ status: 400 });
    await expect(client.schedules.create({ destination: 'app.example/a', cron: '* * * * *' })).rejects.toMatchObject({ status: 400 });
    await expect(client.schedules.get('scd_missing')).rejects.toMatchObject({ status: 404 });
  });

  it('ticks on the local clock: one message per passed tick, with Upstash-Schedule-Id', async () => {
    const { scheduleId } = await client.schedules.create({ destination: 'https://app.example/tick', cron: '* * * * *', body: 'tick' });
    expect(await server.pull()).toEqual([]);
    nextMinute();
    const due = await server.pull();
    expect(due).toHaveLength(1);
    expect(due[0]).toMatchObject({ url: 'https://app.example/tick', body: 'tick' });
    expect(due[0]?.headers['upstash-schedule-id']).toBe(scheduleId);
    await server.report(due[0]!.id, { status: 200 });
    const s = await client.schedules.get(scheduleId);
    expect(s.lastScheduleStates).toEqual({ [due[0]!.message_id]: 'SUCCESS' });
    server.clock.advance(3 * 60_000);
    expect(await server.pull()).toHaveLength(3);
  });

  it('pause skips ticks, resume picks up from now, delete stops it for good', async () => {
    const { scheduleId } = await client.schedules.create({ destination: 'https://app.example/p', cron: '* * * * *' });
    await client.schedules.pause({ schedule: scheduleId });
    expect((await client.schedules.get(scheduleId)).isPaused).toBe(true);
    nextMinute();
    expect(await server.pull()).toEqual([]);
    await client.schedules.resume({ schedule: scheduleId });
    expect(await server.pull()).toEqual([]); // the tick during the pause is not replayed
    nextMinute();
    expect(await server.pull()).toHaveLength(1);
    // The OpenAPI spelling (POST) works too.
    const res = await fetch(`${server.url}/v2/schedules/${scheduleId}/pause`, { method: 'POST', headers: { authorization: `Bearer ${TOKEN}` } });
    expect(res.status).toBe(200);
    await client.schedules.delete(scheduleId);
    await expect(client.schedules.get(scheduleId)).rejects.toMatchObject({ status: 404 });
    nextMinute();
    expect(await server.pull()).toEqual([]);
  });

  it('honours a CRON_TZ= prefix', async () => {
    const { scheduleId } = await client.schedules.create({ destination: 'https://app.example/tz', cron: 'CRON_TZ=Asia/Kolkata 30 9 * * *' });
    const next = new Date((await client.schedules.get(scheduleId)).nextScheduleTime!);
    expect([next.getUTCHours(), next.getUTCMinutes()]).toEqual([4, 0]); // 09:30 IST = 04:00 UTC
  });
});
