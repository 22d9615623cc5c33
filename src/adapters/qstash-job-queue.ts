/** JobQueue and JobVerifier on QStash (publish, schedules, and the Receiver's signature check). */
import type { Client, Receiver } from '@upstash/qstash';
import type { JobQueue, JobVerifier, OutboundMessage } from '../ports';
import { guard } from './guard';

/** Messages per QStash batch request. */
const BATCH_MAX = 100;

export class QStashJobQueue implements JobQueue {
  constructor(
    private readonly client: Client,
    private readonly baseUrl: string,
    /** The upstream deadline, ms: the QStash SDK takes no AbortSignal, so `guard` enforces it. */
    private readonly deadlineMs: number,
  ) {}

  publish(path: string, body: unknown, opts: { delaySeconds?: number; dedupId?: string }) {
    return guard('qstash', async () => {
      const res = await this.client.publishJSON({
        url: `${this.baseUrl}${path}`,
        body,
        retries: 3,
        ...(opts.delaySeconds ? { delay: opts.delaySeconds } : {}),
        ...(opts.dedupId ? { deduplicationId: opts.dedupId } : {}),
      });
      return res.messageId;
    }, this.deadlineMs);
  }

  /**
   * One `batch` call per 100 messages (all in parallel). Headers other than Content-Type go out as
   * `Upstash-Forward-*` (the SDK prefixes them), which QStash strips before delivering.
   */
  publishTo(messages: OutboundMessage[]) {
    return guard('qstash', async () => {
      const chunks: OutboundMessage[][] = [];
      for (let i = 0; i < messages.length; i += BATCH_MAX) chunks.push(messages.slice(i, i + BATCH_MAX));
      await Promise.all(
        chunks.map((chunk) =>
          this.client.batch(chunk.map((m) => ({ url: m.url, body: m.body, headers: m.headers, retries: 3, ...(m.dedupId ? { deduplicationId: m.dedupId } : {}) }))),
        ),
      );
    }, this.deadlineMs);
  }

  schedule(id: string, path: string, cron: string) {
    return guard('qstash', async () => {
      await this.client.schedules.create({ scheduleId: id, destination: `${this.baseUrl}${path}`, cron, retries: 3 });
    }, this.deadlineMs);
  }
}

export class QStashJobVerifier implements JobVerifier {
  constructor(private readonly receiver: Receiver) {}

  async verify(signature: string, rawBody: string, url: string) {
    try {
      return await this.receiver.verify({ signature, body: rawBody, url });
    } catch {
      return false;
    }
  }
}
