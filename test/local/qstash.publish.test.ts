// Local QStash speaks QStash v2 to the official Client: publish / publishJSON / batch / enqueue
// responses, message read-back, deduplication, cancel, and errors in the real service's shape.
import { Client, QstashError } from '@upstash/qstash';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startQStash, type LocalQStash } from '../../scripts/local/qstash.js';

const TOKEN = 'qstash-publish-test-token';
let server: LocalQStash;
let client: Client;

const control = async (path: string, init: RequestInit = {}): Promise<unknown> => {
  const res = await fetch(`${server.url}${path}`, { ...init, headers: { authorization: `Bearer ${TOKEN}` } });
  return res.json();
};

beforeAll(async () => {
  server = await startQStash({ token: TOKEN, currentSigningKey: 'sig_cur', nextSigningKey: 'sig_next', delivery: 'drain' });
  client = new Client({ baseUrl: server.url, token: TOKEN, retry: false });
});
afterAll(() => server.close());
beforeEach(async () => {
  await control('/_local/reset', { method: 'POST' });
});

describe('publish', () => {
  it('answers {messageId, url} and stores the message as the SDK reads it back', async () => {
    const url = 'https://app.example/jobs/extract?tenant=t1&x=a%20b';
    const res = await client.publish({ url, body: 'hello', headers: { 'X-Trace': 'abc' }, retries: 2, label: ['l1', 'l2'] });
    expect(res.messageId).toMatch(/^msg_/);
    expect(res.url).toBe(url);
    const m = await client.messages.get(res.messageId);
    expect(m.url).toBe(url);
    expect(m.method).toBe('POST');
    expect(m.body).toBe('hello');
    expect(m.maxRetries).toBe(2);
    expect(m.header?.['X-Trace']).toEqual(['abc']); // Upstash-Forward- prefix removed
    expect(m.header?.['Content-Type']).toEqual(['text/plain;charset=UTF-8']);
    expect(m.labels).toEqual(['l1', 'l2']);
    expect(m.createdAt).toBeGreaterThan(0);
  });

  it('publishJSON sends JSON and honours method, delay and notBefore', async () => {
    const a = await client.publishJSON({ url: 'https://app.example/a', body: { n: 1 }, method: 'PUT', delay: 90 });
    const ma = await client.messages.get(a.messageId);
    expect(ma.body).toBe('{"n":1}');
    expect(ma.method).toBe('PUT');
    expect(ma.header?.['Content-Type']).toEqual(['application/json']);
    expect(ma.notBefore! - ma.createdAt).toBe(90_000);
    const notBefore = Math.floor(Date.now() / 1000) + 3600;
    const b = await client.publishJSON({ url: 'https://app.example/b', body: {}, delay: 5, notBefore });
    expect((await client.messages.get(b.messageId)).notBefore).toBe(notBefore * 1000);
  });

  it('rejects a destination without http(s) with the real 400 text', async () => {
    const err = await client.publish({ url: 'app.example/x', body: 'x' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(QstashError);
    expect((err as QstashError).status).toBe(400);
    expect((err as QstashError).message).toBe(
      '{"error":"invalid destination url: endpoint has invalid scheme, add http:// or https://"}',
    );
  });

  it('deduplicates by id and by content within the window: 202, same messageId', async () => {
    const first = await client.publish({ url: 'https://app.example/d', body: 'x', deduplicationId: 'job-1' });
    const again = await client.publish({ url: 'https://app.example/d', body: 'other', deduplicationId: 'job-1' });
    expect(again).toEqual({ messageId: first.messageId, url: 'https://app.example/d', deduplicated: true });
    const c1 = await client.publishJSON({ url: 'https://app.example/c', body: { a: 1 }, contentBasedDeduplication: true });
    const c2 = await client.publishJSON({ url: 'https://app.example/c', body: { a: 1 }, contentBasedDeduplication: true });
    const c3 = await client.publishJSON({ url: 'https://app.example/c', body: { a: 2 }, contentBasedDeduplication: true });
    expect(c2.messageId).toBe(c1.messageId);
    expect(c2.deduplicated).toBe(true);
    expect(c3.messageId).not.toBe(c1.messageId);
    const raw = await fetch(`${server.url}/v2/publish/https://app.example/d`, {
      method: 'POST',
      headers: { authorization: `Bearer ${TOKEN}`, 'upstash-deduplication-id': 'job-1' },
    });
    expect(raw.status).toBe(202);
    server.clock.advance(10 * 60_000 + 1);
    const later = await client.publish({ url: 'https://app.example/d', body: 'x', deduplicationId: 'job-1' });
    expect(later.messageId).not.toBe(first.messageId);
  });

  it('batch and batchJSON answer one PublishResponse per item; enqueue goes to a queue', async () => {
    const res = await client.batch([
      { url: 'https://app.example/1', body: 'b1' },
      { url: 'https://app.example/2', body: 'b2', queueName: 'q1' },
    ]);
    expect(res).toHaveLength(2);
    const [r1, r2] = res as Array<{ messageId: string }>;
    expect((await client.messages.get(r2!.messageId)).queueName).toBe('q1');
    expect((await client.messages.get(r1!.messageId)).body).toBe('b1');
    const json = await client.batchJSON([{ url: 'https://app.example/3', body: { k: 'v' } }]);
    expect((await client.messages.get((json[0] as { messageId: string }).messageId)).body).toBe('{"k":"v"}');
    const q = await client.queue({ queueName: 'jobs' }).enqueueJSON({ url: 'https://app.example/q', body: { z: 1 } });
    expect((await client.messages.get(q.messageId)).queueName).toBe('jobs');
    expect((await client.queue({ queueName: 'jobs' }).get()).lag).toBe(1);
  });

  it('rejects a batch with one bad item as a whole', async () => {
    const err = await client.batch([{ url: 'https://app.example/ok', body: 'x' }, { url: 'nope', body: 'y' }]).catch((e: unknown) => e);
    expect((err as QstashError).status).toBe(400);
    expect(((await control('/_local/qstash/messages')) as unknown[]).length).toBe(0);
  });
});

describe('messages', () => {
  it('cancels one ({"cancelled":1}), many, and all; a finished message is 404', async () => {
    const ids = await Promise.all([1, 2, 3, 4].map((i) => client.publish({ url: `https://app.example/${i}`, body: 'x', label: i === 4 ? 'keep' : 'go' })));
    const [a, b, c, d] = ids.map((r) => r.messageId) as [string, string, string, string];
    expect(await client.messages.cancel(a)).toEqual({ cancelled: 1 });
    await expect(client.messages.get(a)).rejects.toMatchObject({ status: 404 });
    await expect(client.messages.cancel(a)).rejects.toMatchObject({ status: 404 });
    expect(await client.messages.cancel([b, c])).toEqual({ cancelled: 2 });
    expect(await client.messages.cancel({ filter: { label: 'nothing' } })).toEqual({ cancelled: 0 });
    expect(await client.messages.cancel({ all: true })).toEqual({ cancelled: 1 });
    await expect(client.messages.get(d)).rejects.toMatchObject({ status: 404 });
  });
});

describe('the rest of the surface', () => {
  it('answers unsupported endpoints loudly and bad tokens with 401', async () => {
    const res = await fetch(`${server.url}/v2/topics`, { headers: { authorization: `Bearer ${TOKEN}` } });
    expect(res.status).toBe(404);
    expect(await res.json()).toEqual({ error: 'local qstash: unsupported endpoint GET /v2/topics' });
    const bad = new Client({ baseUrl: server.url, token: 'wrong', retry: false });
    await expect(bad.publish({ url: 'https://app.example/x', body: 'x' })).rejects.toMatchObject({ status: 401 });
  });

  it('serves /v2/keys and the event log the SDK reads', async () => {
    expect(await control('/v2/keys')).toEqual({ current: 'sig_cur', next: 'sig_next' });
    const { messageId } = await client.publish({ url: 'https://app.example/e', body: 'x' });
    const logs = await client.logs({ filter: { messageId } });
    expect(logs.logs.map((l) => l.state)).toEqual(['CREATED']);
  });
});
