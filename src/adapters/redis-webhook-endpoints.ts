/** WebhookEndpoints on Upstash Redis: one hash per tenant, endpoint id → endpoint JSON. */
import type { Redis } from '@upstash/redis/cloudflare';
import { keys } from '../memory/keys';
import type { WebhookEndpoint, WebhookEndpoints } from '../ports';
import { guard } from './guard';

export class RedisWebhookEndpoints implements WebhookEndpoints {
  constructor(private readonly redis: Redis) {}

  list(tenant: string) {
    return guard('redis', async () => {
      const all = await this.redis.hgetall<Record<string, WebhookEndpoint>>(keys.webhooks(tenant));
      return Object.values(all ?? {}).sort((a, b) => a.created_at - b.created_at || a.id.localeCompare(b.id));
    });
  }

  /** HLEN then HSET: two admin-only round trips; two racing registrations may pass `max` by one. */
  add(tenant: string, endpoint: WebhookEndpoint, max: number) {
    return guard('redis', async () => {
      if ((await this.redis.hlen(keys.webhooks(tenant))) >= max) return false;
      await this.redis.hset(keys.webhooks(tenant), { [endpoint.id]: JSON.stringify(endpoint) });
      return true;
    });
  }

  remove(tenant: string, id: string) {
    return guard('redis', async () => (await this.redis.hdel(keys.webhooks(tenant), id)) > 0);
  }
}
