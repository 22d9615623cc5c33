/**
 * Outbound webhooks: a tenant's registered endpoint gets memory.* and event.* deliveries through QStash,
 * signed per Standard Webhooks with the endpoint's secret. The test takes the receiver's place: it pulls
 * the deliveries the local QStash holds for the endpoint, verifies them, and reports them delivered.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import { call, local, mintKey, op, qstash, scriptLlm, unique, type Delivery } from './helpers';

const ADMIN = { key: local.tokens.admin };
let tenant: string;
let key: string;
beforeEach(async () => {
  ({ key, tenant } = await mintKey());
});

async function verify(secret: string, d: Delivery): Promise<boolean> {
  const raw = Uint8Array.from(atob(secret.slice('whsec_'.length)), (ch) => ch.charCodeAt(0));
  const hmacKey = await crypto.subtle.importKey('raw', raw, { name: 'HMAC', hash: 'SHA-256' }, false, ['verify']);
  const header = (name: string) => Object.entries(d.headers).find(([k]) => k.toLowerCase() === name)?.[1] ?? '';
  const signed = new TextEncoder().encode(`${header('webhook-id')}.${header('webhook-timestamp')}.${d.body}`);
  for (const part of header('webhook-signature').split(' ')) {
    const [version, sig = ''] = part.split(',');
    if (version !== 'v1') continue;
    const bytes = Uint8Array.from(atob(sig), (ch) => ch.charCodeAt(0));
    if (await crypto.subtle.verify('HMAC', hmacKey, bytes, signed)) return true;
  }
  return false;
}

/** Pulls what QStash holds for `url`, answering each as the receiver would (200). */
async function received(url: string): Promise<Delivery[]> {
  const due: Delivery[] = await qstash('POST', '/_local/qstash/pull', {});
  const mine = due.filter((d) => d.url === url);
  for (const d of mine) await qstash('POST', '/_local/qstash/report', { id: d.id, status: 200, headers: {}, body: '' });
  return mine;
}

describe('outbound webhooks', () => {
  it('delivers memory.added, memory.invalidated and event.succeeded, signed with the endpoint secret', async () => {
    const url = `https://hooks.example.test/${unique('rcv')}`;
    const reg = await call('POST', `/v1/admin/tenants/${tenant}/webhooks`, { ...ADMIN, body: { url } });
    expect(reg.status).toBe(201);
    expect(reg.json.secret).toMatch(/^whsec_/);
    const user = unique('u');

    await scriptLlm([{ content: { operations: [op({ text: 'Works at Google' })] } }]);
    await call('POST', '/v1/memories', { key, body: { user_id: user, mode: 'sync', messages: [{ role: 'user', content: 'I work at Google' }] } });
    await scriptLlm([{ content: { operations: [op({ event: 'INVALIDATE', ref: 1, text: 'Works at Anthropic' })] } }]);
    await call('POST', '/v1/memories', { key, body: { user_id: user, mode: 'sync', messages: [{ role: 'user', content: 'I just started at Anthropic' }] } });

    const deliveries = await received(url);
    const types = deliveries.map((d) => JSON.parse(d.body).type);
    expect(types).toEqual(expect.arrayContaining(['memory.added', 'memory.invalidated', 'event.succeeded']));
    for (const d of deliveries) {
      expect(d.method).toBe('POST');
      expect(await verify(reg.json.secret, d)).toBe(true);
      expect(await verify(`whsec_${btoa('another secret of thirty-two by!')}`, d)).toBe(false);
    }
    const invalidated = deliveries.map((d) => JSON.parse(d.body)).find((b) => b.type === 'memory.invalidated');
    expect(JSON.stringify(invalidated.data)).toMatch(/Works at Google/);
  });

  it('sends only the subscribed event types, and nothing once the endpoint is removed', async () => {
    const url = `https://hooks.example.test/${unique('rcv')}`;
    const reg = await call('POST', `/v1/admin/tenants/${tenant}/webhooks`, { ...ADMIN, body: { url, events: ['memory.deleted'] } });
    expect(reg.status).toBe(201);
    const user = unique('u');
    const added = await call('POST', '/v1/memories', { key, body: { user_id: user, infer: false, messages: [{ role: 'user', content: 'Note to self' }] } });
    const id = added.json.results[0].id;
    await call('DELETE', `/v1/memories/${id}`, { key });
    const types = (await received(url)).map((d) => JSON.parse(d.body).type);
    expect(types).toEqual(['memory.deleted']);

    expect((await call('DELETE', `/v1/admin/tenants/${tenant}/webhooks/${reg.json.id}`, ADMIN)).status).toBe(200);
    const again = await call('POST', '/v1/memories', { key, body: { user_id: user, infer: false, messages: [{ role: 'user', content: 'Another note' }] } });
    await call('DELETE', `/v1/memories/${again.json.results[0].id}`, { key });
    expect(await received(url)).toEqual([]);
  });

  it('registers endpoints with the admin token only', async () => {
    const res = await call('POST', `/v1/admin/tenants/${tenant}/webhooks`, { key, body: { url: 'https://hooks.example.test/x' } });
    expect(res.status).toBe(403);
    const bad = await call('POST', `/v1/admin/tenants/${tenant}/webhooks`, { ...ADMIN, body: { url: 'not a url' } });
    expect(bad.status).toBe(400);
  });
});
