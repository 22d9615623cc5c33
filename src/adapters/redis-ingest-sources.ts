/** IngestSources on Upstash Redis: one JSON string per source, and SET NX EX for delivery ids. */
import type { Redis } from '@upstash/redis/cloudflare';
import { keys } from '../memory/keys';
import type { IngestSource, IngestSources } from '../ports';
import { guard } from './guard';

export class RedisIngestSources implements IngestSources {
  constructor(private readonly redis: Redis) {}

  get(source: string) {
    return guard('redis', () => this.redis.get<IngestSource>(keys.ingestSource(source)));
  }

  put(record: IngestSource) {
    return guard('redis', async () => void (await this.redis.set(keys.ingestSource(record.source), JSON.stringify(record))));
  }

  remove(source: string) {
    return guard('redis', async () => void (await this.redis.del(keys.ingestSource(source))));
  }

  firstDelivery(tenant: string, source: string, deliveryId: string, ttlSeconds: number) {
    return guard('redis', async () => (await this.redis.set(keys.ingestSeen(tenant, source, deliveryId), 1, { nx: true, ex: ttlSeconds })) === 'OK');
  }

  forgetDelivery(tenant: string, source: string, deliveryId: string) {
    return guard('redis', async () => void (await this.redis.del(keys.ingestSeen(tenant, source, deliveryId))));
  }
}
