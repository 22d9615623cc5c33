// Local QStash in drain mode: deliveries are pulled, checked with the official Receiver and reported
// back, so delays, retries with backoff, 489, the DLQ and callbacks run without timers or sleeps.
import { Client, Receiver } from '@upstash/qstash';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startQStash, type LocalQStash, type PendingDelivery } from '../../scripts/local/qstash.js';

const TOKEN = 'qstash-delivery-test-token';
const CURRENT = 'sig_current_delivery';
const NEXT = 'sig_next_delivery';
let server: LocalQStash;
let client: Client;

const call = async (path: string, body?: unknown): Promise<unknown> => {
  const init: RequestInit = { method: body === undefined ? 'GET' : 'POST', headers: { authorization: `Bearer ${TOKEN}` } };
  if (body !== undefined) init.body = JSON.stringify(body);
  return (await fetch(`${server.url}${path}`, init)).json();
};
const pullOne = async (): Promise<PendingDelivery> => {
  const due = await server.pull();
  expect(due).toHaveLength(1);
  return due[0]!;
};

beforeAll(async () => {
  server = await startQStash({ token: TOKEN, currentSigningKey: CURRENT, nextSigningKey: NEXT, delivery: 'drain' });
  client = new Client({ baseUrl: server.url, token: TOKEN, retry: false });
});
afterAll(() => server.close());
beforeEach(async () => {
  await call('/_local/reset', {});
});

describe('a delivery', () => {
  it('carries the body, stripped forwarded headers and a signature both key orders verify', async () => {
    const url = 'https://app.example/jobs/extract?tenant=t1';
    const body = '{"thread":"t1","note":"héllo"}';
    const { messageId } = await client.publish({ url, body, headers: { 'Content-Type': 'application/json', 'X-Tenant': 't1' } });
    const d = await pullOne();
    expect(d).toMatchObject({ message_id: messageId, url, method: 'POST', body, retried: 0 });
    expect(d.headers).toMatchObject({
      'content-type': 'application/json',
      'x-tenant': 't1',
      'user-agent': 'Upstash-QStash',
      'upstash-message-id': messageId,
      'upstash-retried': '0',
    });
    expect(Object.keys(d.headers).some((h) => h.startsWith('upstash-forward-'))).toBe(false);
    const signature = d.headers['upstash-signature']!;
    await expect(new Receiver({ currentSigningKey: CURRENT, nextSigningKey: NEXT }).verify({ signature, body, url })).resolves.toBe(true);
    await expect(new Receiver({ currentSigningKey: 'sig_other', nextSigningKey: CURRENT }).verify({ signature, body, url })).resolves.toBe(true);
    await expect(new Receiver({ currentSigningKey: CURRENT, nextSigningKey: NEXT }).verify({ signature, body: `${body} `, url })).rejects.toThrow(/body hash/);
    await expect(new Receiver({ currentSigningKey: 'sig_a', nextSigningKey: 'sig_b' }).verify({ signature, body })).rejects.toThrow();
    await server.report(d.id, { status: 200 });
    expect(await server.pull()).toEqual([]);
    const [summary] = (await call('/_local/qstash/messages')) as Array<{ state: string }>;
    expect(summary?.state).toBe('delivered');
  });

  it('is not due before its delay; advancing the clock makes it due', async () => {
    await client.publish({ url: 'https://app.example/later', body: 'x', delay: '2m' });
    expect(await server.pull()).toEqual([]);
    server.clock.advance(119_000);
    expect(await server.pull()).toEqual([]);
    server.clock.advance(2_000);
    expect((await pullOne()).url).toBe('https://app.example/later');
  });

  it('is retried with the default backoff, Upstash-Retried counting up, then lands in the DLQ', async () => {
    const { messageId } = await client.publish({ url: 'https://app.example/flaky', body: 'x', retries: 2 });
    let d = await pullOne();
    await server.report(d.id, { status: 500, body: 'boom' });
    expect(await server.pull()).toEqual([]); // first retry waits e^2.5 s ≈ 12.2 s
    server.clock.advance(12_300);
    d = await pullOne();
    expect(d.headers['upstash-retried']).toBe('1');
    await server.report(d.id, { status: 503 });
    server.clock.advance(140_000);
    expect(await server.pull()).toEqual([]); // second retry waits e^5 s ≈ 148.4 s
    server.clock.advance(9_000);
    d = await pullOne();
    expect(d.retried).toBe(2);
    await server.report(d.id, { status: 500, headers: { 'X-Why': 'still' }, body: 'last' });
    const { messages } = await client.dlq.listMessages();
    expect(messages).toHaveLength(1);
    expect(messages[0]).toMatchObject({ messageId, url: 'https://app.example/flaky', responseStatus: 500, responseBody: 'last', body: 'x' });
    expect(messages[0]?.responseHeader?.['X-Why']).toEqual(['still']);
  });

  it('follows Upstash-Retry-Delay (ms over `retried`) and stops at once on 489 + NonRetryable', async () => {
    await client.publish({ url: 'https://app.example/rd', body: 'x', retryDelay: '1000 * (1 + retried)' });
    let d = await pullOne();
    await server.report(d.id, { status: 500 });
    server.clock.advance(1_050);
    d = await pullOne();
    await server.report(d.id, { status: 489, headers: { 'Upstash-NonRetryable-Error': 'true' }, body: 'bad job' });
    server.clock.advance(86_400_000);
    expect(await server.pull()).toEqual([]);
    const { messages } = await client.dlq.listMessages();
    expect(messages.map((m) => m.responseStatus)).toEqual([489]);
  });

  it('sends callbacks after attempts and the failure callback once it is dead', async () => {
    const url = 'https://app.example/job';
    const { messageId } = await client.publish({
      url,
      body: 'payload',
      retries: 0,
      callback: 'https://app.example/cb',
      failureCallback: 'https://app.example/failed',
    });
    const d = await pullOne();
    await server.report(d.id, { status: 500, body: 'nope' });
    const due = await server.pull();
    expect(due.map((x) => x.url).sort()).toEqual(['https://app.example/cb', 'https://app.example/failed']);
    const failed = due.find((x) => x.url.endsWith('/failed'))!;
    const payload = JSON.parse(failed.body) as Record<string, unknown>;
    const [dlqEntry] = (await client.dlq.listMessages()).messages;
    expect(payload).toMatchObject({ status: 500, sourceMessageId: messageId, url, retried: 0, maxRetries: 0, dlqId: dlqEntry?.dlqId });
    expect(Buffer.from(payload.body as string, 'base64').toString()).toBe('nope');
    expect(Buffer.from(payload.sourceBody as string, 'base64').toString()).toBe('payload');
    const receiver = new Receiver({ currentSigningKey: CURRENT, nextSigningKey: NEXT });
    await expect(receiver.verify({ signature: failed.headers['upstash-signature']!, body: failed.body, url: failed.url })).resolves.toBe(true);
  });
});

describe('the DLQ through the SDK', () => {
  const kill = async (url: string): Promise<void> => {
    await client.publish({ url, body: 'x', retries: 0 });
    const d = await pullOne();
    await server.report(d.id, { status: 400 });
  };

  it('lists with filters, deletes one or many, and retries as a new message', async () => {
    await kill('https://app.example/a');
    await kill('https://app.example/b');
    await kill('https://app.example/c');
    const all = (await client.dlq.listMessages()).messages;
    expect(all).toHaveLength(3);
    expect((await client.dlq.listMessages({ filter: { url: 'https://app.example/b' } })).messages).toHaveLength(1);
    const [a, b, c] = all as [(typeof all)[0], (typeof all)[0], (typeof all)[0]];
    expect(await client.dlq.delete(a.dlqId)).toEqual({ deleted: 1 });
    const retried = await client.dlq.retry(b.dlqId);
    expect(retried.responses).toHaveLength(1);
    const again = await pullOne();
    expect(again).toMatchObject({ url: 'https://app.example/b', retried: 0 });
    expect(again.message_id).toBe(retried.responses[0]?.messageId);
    expect(await client.dlq.delete({ all: true })).toEqual({ deleted: 1 });
    expect((await client.dlq.listMessages({ dlqIds: [c.dlqId] })).messages).toEqual([]);
  });
});

describe('control routes over HTTP (what a test inside workerd uses)', () => {
  it('pull, report and messages drive the same machine', async () => {
    await client.publish({ url: 'https://app.example/http', body: 'x', retries: 1 });
    await client.publish({ url: 'https://app.example/http2', body: 'y' });
    const first = (await call('/_local/qstash/pull', { max: 1 })) as PendingDelivery[];
    expect(first).toHaveLength(1);
    expect(await call('/_local/qstash/report', { id: first[0]!.id, status: 500 })).toMatchObject({ ok: true, state: 'pending' });
    expect(((await call('/_local/qstash/pull', {})) as PendingDelivery[]).map((d) => d.url)).toEqual(['https://app.example/http2']);
    await call('/_local/clock', { advance_ms: 13_000 });
    const retry = (await call('/_local/qstash/pull', {})) as PendingDelivery[];
    expect(retry.map((d) => d.headers['upstash-retried'])).toEqual(['1']);
    const bad = await fetch(`${server.url}/_local/qstash/report`, {
      method: 'POST',
      headers: { authorization: `Bearer ${TOKEN}` },
      body: JSON.stringify({ id: 'dlv_nope', status: 200 }),
    });
    expect(bad.status).toBe(404);
    const state = (await call('/_local/state')) as { counts: Record<string, number> };
    expect(state.counts).toMatchObject({ in_flight: 2, pending: 0 });
  });

  it('keeps a queue in FIFO order: the next waits while the head is being retried', async () => {
    const q = client.queue({ queueName: 'fifo' });
    await q.enqueue({ url: 'https://app.example/1', body: '1' });
    await q.enqueue({ url: 'https://app.example/2', body: '2' });
    const head = await pullOne();
    expect(head.body).toBe('1');
    await server.report(head.id, { status: 500 });
    expect(await server.pull()).toEqual([]);
    server.clock.advance(13_000);
    const retry = await pullOne();
    expect(retry.body).toBe('1');
    await server.report(retry.id, { status: 200 });
    expect((await pullOne()).body).toBe('2');
  });
});
