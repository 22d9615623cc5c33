/**
 * Starts the four local servers in one process, on free ports unless told otherwise, and returns the
 * variables the Worker reads to reach them. Used by the test global setup, `npm start` and benchmarks.
 */
import { startLlm } from './llm';
import { startQStash } from './qstash';
import { startRedisRest } from './redis-rest';
import { startVectorRest } from './vector-rest';

export interface LocalStackOptions {
  ports?: { redis?: number; vector?: number; qstash?: number; llm?: number };
  delivery: 'auto' | 'drain';
  /** Where QStash delivers (the Worker's origin). */
  publicBaseUrl: string;
  redisUrl?: string;
  dataDir?: string;
  qstashTimeScale?: number;
}

export const LOCAL_TOKENS = {
  redis: 'local-redis-token',
  vector: 'local-vector-token',
  qstash: 'local-qstash-token',
  llm: 'local-llm-key',
  currentSigningKey: 'sig_local_current_0000000000000000',
  nextSigningKey: 'sig_local_next_00000000000000000000',
  admin: 'local-admin-token-change-me',
};

export async function startLocalStack(opts: LocalStackOptions) {
  const [redis, vector, qstash, llm] = await Promise.all([
    startRedisRest({ token: LOCAL_TOKENS.redis, port: opts.ports?.redis, redisUrl: opts.redisUrl }),
    startVectorRest({ token: LOCAL_TOKENS.vector, port: opts.ports?.vector, dataDir: opts.dataDir }),
    startQStash({
      token: LOCAL_TOKENS.qstash,
      currentSigningKey: LOCAL_TOKENS.currentSigningKey,
      nextSigningKey: LOCAL_TOKENS.nextSigningKey,
      port: opts.ports?.qstash,
      delivery: opts.delivery,
      timeScale: opts.qstashTimeScale ?? 1,
    }),
    startLlm({ apiKey: LOCAL_TOKENS.llm, port: opts.ports?.llm }),
  ]);
  const vars = {
    UPSTASH_REDIS_REST_URL: redis.url,
    UPSTASH_REDIS_REST_TOKEN: LOCAL_TOKENS.redis,
    UPSTASH_VECTOR_REST_URL: vector.url,
    UPSTASH_VECTOR_REST_TOKEN: LOCAL_TOKENS.vector,
    QSTASH_URL: qstash.url,
    QSTASH_TOKEN: LOCAL_TOKENS.qstash,
    QSTASH_CURRENT_SIGNING_KEY: LOCAL_TOKENS.currentSigningKey,
    QSTASH_NEXT_SIGNING_KEY: LOCAL_TOKENS.nextSigningKey,
    OPENAI_API_KEY: LOCAL_TOKENS.llm,
    OPENAI_BASE_URL: `${llm.url}/v1`,
    LLM_MODEL: 'engram-local-rules',
    PUBLIC_BASE_URL: opts.publicBaseUrl,
    ADMIN_TOKEN: LOCAL_TOKENS.admin,
  };
  return {
    servers: { redis, vector, qstash, llm },
    vars,
    close: () => Promise.all([redis.close(), vector.close(), qstash.close(), llm.close()]).then(() => undefined),
  };
}
