/** JobQueue and JobVerifier on QStash (publish, schedules, and the Receiver's signature check). */
import type { Client, Receiver } from '@upstash/qstash';
import type { JobQueue, JobVerifier } from '../ports';
import { guard } from './guard';

export class QStashJobQueue implements JobQueue {
  constructor(
    private readonly client: Client,
    private readonly baseUrl: string,
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
    });
  }

  schedule(id: string, path: string, cron: string) {
    return guard('qstash', async () => {
      await this.client.schedules.create({ scheduleId: id, destination: `${this.baseUrl}${path}`, cron, retries: 3 });
    });
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
