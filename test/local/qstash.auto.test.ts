// Local QStash delivering for real: the auto loop (and drainAuto) send signed HTTP requests to a
// receiver on 127.0.0.1, retry on failure with the time-scaled backoff, and record the outcome.
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Client, Receiver } from '@upstash/qstash';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startQStash, type LocalQStash } from '../../scripts/local/qstash.js';

const TOKEN = 'qstash-auto-test-token';
const KEYS = { currentSigningKey: 'sig_auto_current', nextSigningKey: 'sig_auto_next' };

interface Received {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
  body: string;
}

/** A destination whose answers are scripted; each request resolves the next waiter. */
let receiver: Server;
let receiverUrl = '';
const answers: number[] = [];
const waiters: Array<(r: Received) => void> = [];
const nextRequest = (): Promise<Received> => new Promise((resolve) => waiters.push(resolve));

beforeAll(async () => {
  receiver = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      res.writeHead(answers.shift() ?? 200).end('ok');
      waiters.shift()?.({ method: req.method ?? '', url: req.url ?? '', headers: req.headers, body: Buffer.concat(chunks).toString() });
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  receiverUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}`;
});
afterAll(async () => {
  receiver.closeAllConnections();
  await new Promise((resolve) => receiver.close(resolve));
});

describe('auto delivery', () => {
  let server: LocalQStash;
  beforeAll(async () => {
    // timeScale 10 000: the first retry's 12 s backoff becomes ~1 ms of local time.
    server = await startQStash({ token: TOKEN, ...KEYS, delivery: 'auto', timeScale: 10_000 });
  });
  afterAll(() => server.close());

  it('delivers a signed request to a loopback destination, and retries a failure', async () => {
    const client = new Client({ baseUrl: server.url, token: TOKEN, retry: false });
    const url = `${receiverUrl}/jobs/extract?tenant=t1`;
    answers.push(500);
    const first = nextRequest();
    const second = first.then(() => nextRequest());
    const { messageId } = await client.publishJSON({ url, body: { thread: 't1' }, headers: { 'X-Tenant': 't1' } });

    const a = await first;
    expect(a).toMatchObject({ method: 'POST', url: '/jobs/extract?tenant=t1', body: '{"thread":"t1"}' });
    expect(a.headers).toMatchObject({ 'x-tenant': 't1', 'upstash-message-id': messageId, 'upstash-retried': '0', 'user-agent': 'Upstash-QStash' });
    const verifier = new Receiver(KEYS);
    await expect(verifier.verify({ signature: String(a.headers['upstash-signature']), body: a.body, url })).resolves.toBe(true);

    const b = await second;
    expect(b.headers['upstash-retried']).toBe('1');
    await expect(verifier.verify({ signature: String(b.headers['upstash-signature']), body: b.body, url })).resolves.toBe(true);
  });
});

describe('drainAuto in drain mode', () => {
  it('delivers everything due with fetch and reports the outcome', async () => {
    const server = await startQStash({ token: TOKEN, ...KEYS, delivery: 'drain' });
    try {
      const client = new Client({ baseUrl: server.url, token: TOKEN, retry: false });
      const got = nextRequest();
      const { messageId } = await client.publish({ url: `${receiverUrl}/x`, body: 'raw body', method: 'PUT' });
      expect(await server.drainAuto()).toBe(1);
      expect((await got).method).toBe('PUT');
      const res = await fetch(`${server.url}/_local/qstash/messages`, { headers: { authorization: `Bearer ${TOKEN}` } });
      expect(await res.json()).toMatchObject([{ message_id: messageId, state: 'delivered', last_status: 200 }]);
      // An unreachable destination counts as a failed attempt (status 0) and is retried later.
      await client.publish({ url: 'http://127.0.0.1:1/nothing-listens', body: 'x' });
      expect(await server.drainAuto()).toBe(1);
      const after = (await (await fetch(`${server.url}/_local/state`, { headers: { authorization: `Bearer ${TOKEN}` } })).json()) as {
        counts: Record<string, number>;
      };
      expect(after.counts).toMatchObject({ delivered: 1, pending: 1 });
    } finally {
      await server.close();
    }
  });
});
