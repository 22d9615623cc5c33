/**
 * POST /v1/ingest/:source: Standard Webhooks signatures (id, timestamp, HMAC over "{id}.{ts}.{body}"),
 * replay and staleness refused, nothing written for a refused delivery; generic and Slack payloads.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import { call, local, unique } from './helpers';

const ADMIN = { key: local.tokens.admin };
let tenant: string;
let key: string;
let source: string;
let secret: string;

beforeEach(async () => {
  tenant = unique('t');
  const minted = await call('POST', `/v1/admin/tenants/${tenant}/keys`, ADMIN);
  key = minted.json.key;
  source = unique('src');
});

async function createSource(format: 'generic' | 'slack' = 'generic') {
  const res = await call('POST', `/v1/admin/tenants/${tenant}/sources/${source}`, { ...ADMIN, body: { format } });
  expect(res.status).toBe(201);
  expect(res.json.secret).toMatch(/^whsec_/);
  secret = res.json.secret;
}

async function sign(id: string, timestamp: number, body: string, withSecret = secret): Promise<string> {
  const raw = Uint8Array.from(atob(withSecret.slice('whsec_'.length)), (ch) => ch.charCodeAt(0));
  const hmacKey = await crypto.subtle.importKey('raw', raw, { name: 'HMAC', hash: 'SHA-256' }, false, ['sign']);
  const mac = new Uint8Array(await crypto.subtle.sign('HMAC', hmacKey, new TextEncoder().encode(`${id}.${timestamp}.${body}`)));
  return `v1,${btoa(String.fromCharCode(...mac))}`;
}

async function deliver(payload: unknown, opts: { id?: string; timestamp?: number; secret?: string; tamper?: boolean } = {}) {
  const id = opts.id ?? unique('msg');
  const timestamp = opts.timestamp ?? Math.floor(Date.now() / 1000);
  const body = JSON.stringify(payload);
  const signature = await sign(id, timestamp, body, opts.secret ?? secret);
  const sent = opts.tamper ? body.replace('peanuts', 'walnuts') : body;
  return call('POST', `/v1/ingest/${source}`, {
    raw: sent,
    headers: { 'content-type': 'application/json', 'webhook-id': id, 'webhook-timestamp': String(timestamp), 'webhook-signature': signature },
  });
}

const buffer = async (user: string, run: string) => (await call('GET', `/v1/sessions/${run}/messages?user_id=${user}`, { key })).json.messages.map((m: { content: string }) => m.content);
const generic = (user: string) => ({ user_id: user, run_id: 's1', messages: [{ role: 'user', content: "I'm allergic to peanuts" }] });

describe('POST /v1/ingest/:source', () => {
  it('ingests a correctly signed generic delivery into the source tenant', async () => {
    await createSource();
    const user = unique('u');
    const res = await deliver(generic(user));
    expect(res.status).toBe(202);
    expect(res.json).toMatchObject({ event_id: expect.stringMatching(/^evt_/), status: 'queued' });
    expect(await buffer(user, 's1')).toEqual(["I'm allergic to peanuts"]);
  });

  it('refuses a tampered body, a wrong secret, a stale timestamp and a replay — and writes nothing', async () => {
    await createSource();
    const user = unique('u');
    expect((await deliver(generic(user), { tamper: true })).status).toBe(401);
    expect((await deliver(generic(user), { secret: `whsec_${btoa('not the secret at all, 32 bytes!')}` })).status).toBe(401);
    expect((await deliver(generic(user), { timestamp: Math.floor(Date.now() / 1000) - 3600 })).status).toBe(401);
    const unsigned = await call('POST', `/v1/ingest/${source}`, { body: generic(user) });
    expect(unsigned.status).toBe(401);
    expect(unsigned.json.error.code).toBe('UNAUTHORIZED');
    expect(await buffer(user, 's1')).toEqual([]);

    const first = await deliver(generic(user), { id: 'delivery-1' });
    expect(first.status).toBe(202);
    const replay = await deliver(generic(user), { id: 'delivery-1' });
    expect(replay.status).toBe(401);
    expect(await buffer(user, 's1')).toEqual(["I'm allergic to peanuts"]);
  });

  it('answers 404 for an unknown source and 400 for a malformed payload', async () => {
    await createSource();
    const unknown = await call('POST', `/v1/ingest/${unique('nope')}`, {
      raw: '{}',
      headers: { 'content-type': 'application/json', 'webhook-id': 'x', 'webhook-timestamp': String(Math.floor(Date.now() / 1000)), 'webhook-signature': 'v1,AAAA' },
    });
    expect(unknown.status).toBe(404);
    const bad = await deliver({ user_id: unique('u'), messages: [] });
    expect(bad.status).toBe(400);
    expect(bad.json.error.code).toBe('INVALID_INPUT');
  });

  it('maps a Slack message event: user, channel as the session, client_msg_id as the message id', async () => {
    await createSource('slack');
    const envelope = (text: string, extra: Record<string, unknown> = {}) => ({
      type: 'event_callback',
      team_id: 'T1',
      event_id: unique('Ev'),
      event: { type: 'message', user: 'U123', text, channel: 'C42', ts: '1700000000.000100', client_msg_id: 'cm-1', ...extra },
    });
    expect((await deliver(envelope("I'm allergic to peanuts"))).status).toBe(202);
    expect(await buffer('U123', 'C42')).toEqual(["I'm allergic to peanuts"]);
    // A bot's message is acknowledged, not stored; the URL verification answers its challenge.
    const bot = await deliver(envelope('beep', { bot_id: 'B1', client_msg_id: 'cm-2' }));
    expect(bot.status).toBe(200);
    expect(bot.json.ignored).toBeDefined();
    const challenge = await deliver({ type: 'url_verification', challenge: 'abc123' });
    expect(challenge.json).toEqual({ challenge: 'abc123' });
    expect(await buffer('U123', 'C42')).toEqual(["I'm allergic to peanuts"]);
  });

  it('manages sources with the admin token only', async () => {
    const res = await call('POST', `/v1/admin/tenants/${tenant}/sources/${source}`, { key, body: {} });
    expect(res.status).toBe(403);
    await createSource();
    expect((await call('DELETE', `/v1/admin/tenants/${tenant}/sources/${source}`, ADMIN)).status).toBe(200);
    expect((await deliver(generic(unique('u')))).status).toBe(404);
  });
});
