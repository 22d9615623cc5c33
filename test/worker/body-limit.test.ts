/**
 * Body size: every route the app registers refuses a body over 1 MiB with 413 PAYLOAD_TOO_LARGE in the
 * envelope — routes that never read a body included — before auth, and writes nothing.
 */
import { exports } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { buildApp } from '../../src/app';
import { MAX_BODY_BYTES } from '../../src/http/validate';
import { call, local, mintKey, ORIGIN, unique } from './helpers';

/** A route's path with its parameters filled in with values its own checks accept. */
const concrete = (path: string) =>
  path
    .replace(':id', 'mem_0123456789abcdef0123456789ab')
    .replace(':run_id', 's1')
    .replace(':label', 'notes')
    .replace(':tenant', unique('t'))
    .replace(':key_id', 'key_0123456789abcdef')
    .replace(/:[A-Za-z_]+/g, 'x');

/** Valid JSON of `bytes` bytes: an ingest body padded with a long metadata string. */
function ingestOfSize(user: string, bytes: number): string {
  const head = JSON.stringify({ user_id: user, infer: false, messages: [{ role: 'user', content: 'padded' }], metadata: { pad: '' } });
  return head.replace('"pad":""', `"pad":"${'x'.repeat(bytes - head.length)}"`);
}

const send = (method: string, path: string, body: BodyInit, headers: Record<string, string> = {}) =>
  exports.default.fetch(new Request(`${ORIGIN}${path}`, { method, headers: { 'content-type': 'application/json', ...headers }, body }));

describe('request bodies over 1 MiB', () => {
  it('get 413 on every route that takes a method with a body, with or without credentials', async () => {
    const { key } = await mintKey();
    const routes = buildApp()
      .routes.filter((r) => r.method !== 'GET' && !r.path.endsWith('*'))
      .map((r) => ({ method: r.method === 'ALL' ? 'POST' : r.method, path: concrete(r.path) }));
    const seen = new Set<string>();
    const tooBig = 'x'.repeat(MAX_BODY_BYTES + 1);
    for (const r of routes) {
      if (seen.has(`${r.method} ${r.path}`)) continue;
      seen.add(`${r.method} ${r.path}`);
      for (const auth of [{ authorization: `Bearer ${key}` }, {}] as Array<Record<string, string>>) {
        const res = await send(r.method, r.path, tooBig, auth);
        const json = (await res.json()) as { error: { code: string; request_id: string } };
        expect(res.status, `${r.method} ${r.path}`).toBe(413);
        expect(json.error).toMatchObject({ code: 'PAYLOAD_TOO_LARGE', request_id: expect.any(String) });
      }
    }
    expect(seen.size).toBeGreaterThan(15);
  });

  it('counts a streamed body without Content-Length as it arrives; exactly 1 MiB is accepted', async () => {
    const { key } = await mintKey();
    const user = unique('u');
    const chunk = new TextEncoder().encode(ingestOfSize(user, MAX_BODY_BYTES + 1));
    const stream = new ReadableStream<Uint8Array>({
      start(controller) {
        for (let at = 0; at < chunk.length; at += 64 * 1024) controller.enqueue(chunk.subarray(at, at + 64 * 1024));
        controller.close();
      },
    });
    const streamed = await send('POST', '/v1/memories', stream, { authorization: `Bearer ${key}` });
    expect(streamed.status).toBe(413);
    // Nothing was written by the refused request.
    expect((await call('GET', `/v1/memories?user_id=${user}`, { key })).json.results).toEqual([]);
    // The same request at exactly the limit is read and validated (the metadata itself is over 16 KB: 400).
    const atLimit = await send('POST', '/v1/memories', ingestOfSize(user, MAX_BODY_BYTES), { authorization: `Bearer ${key}` });
    expect(atLimit.status).toBe(400);
    expect(((await atLimit.json()) as { error: { message: string } }).error.message).toMatch(/metadata/);
  });

  it('refuses oversized QStash callbacks and admin requests with 413 too, before checking signature or token', async () => {
    const tenant = unique('t');
    const res = await send('POST', `/v1/admin/tenants/${tenant}/keys`, JSON.stringify({ pad: 'x'.repeat(MAX_BODY_BYTES) }), { authorization: `Bearer ${local.tokens.admin}` });
    expect(res.status).toBe(413);
    const job = await send('POST', '/jobs/expire', JSON.stringify({ pad: 'x'.repeat(MAX_BODY_BYTES) }), { 'upstash-signature': 'x' });
    // 413, not 401: the size is checked before the signature.
    expect(job.status).toBe(413);
  });
});
