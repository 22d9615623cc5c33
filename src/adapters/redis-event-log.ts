/** EventLog on Upstash Redis: one JSON string per event, kept 7 days, indexed by scope for erase. */
import type { Redis } from '@upstash/redis/cloudflare';
import { EVENT_TTL_SECONDS, keys } from '../memory/keys';
import type { EventRecord } from '../memory/model';
import type { EventLog } from '../ports';
import { guard } from './guard';

export class RedisEventLog implements EventLog {
  constructor(private readonly redis: Redis) {}

  put(tenant: string, event: EventRecord) {
    const p = this.redis.pipeline();
    p.set(keys.event(tenant, event.event_id), JSON.stringify(event), { ex: EVENT_TTL_SECONDS });
    p.sadd(keys.scopeEvents(tenant, event.scope), event.event_id);
    p.expire(keys.scopeEvents(tenant, event.scope), EVENT_TTL_SECONDS);
    return guard('redis', async () => void (await p.exec()));
  }

  get(tenant: string, eventId: string) {
    return guard('redis', () => this.redis.get<EventRecord>(keys.event(tenant, eventId)));
  }
}
