/** ApiKeys on Upstash Redis: keys are stored under the SHA-256 of their secret, never in clear. */
import type { Redis } from '@upstash/redis/cloudflare';
import { keys } from '../memory/keys';
import type { ApiKeyRecord, ApiKeys } from '../ports';
import { guard } from './guard';

export class RedisApiKeys implements ApiKeys {
  constructor(private readonly redis: Redis) {}

  find(hash: string) {
    return guard('redis', () => this.redis.get<ApiKeyRecord>(keys.apiKey(hash)));
  }

  create(hash: string, record: ApiKeyRecord) {
    const tx = this.redis.multi();
    tx.set(keys.apiKey(hash), JSON.stringify(record));
    tx.set(keys.apiKeyId(record.key_id), hash);
    return guard('redis', async () => void (await tx.exec()));
  }

  revoke(keyId: string) {
    return guard('redis', async () => {
      const hash = await this.redis.get<string>(keys.apiKeyId(keyId));
      if (hash === null) return false;
      await this.redis.del(keys.apiKey(String(hash)), keys.apiKeyId(keyId));
      return true;
    });
  }
}
