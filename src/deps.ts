/**
 * The composition root: the only file that constructs SDK clients. `buildDeps(config)` returns the
 * typed services bag that the app puts on the request context; use cases take `Pick<Deps, …>`.
 */
import { Client as QStashClient, Receiver } from '@upstash/qstash';
import { Redis } from '@upstash/redis/cloudflare';
import { Index } from '@upstash/vector/cloudflare';
import OpenAI from 'openai';
import { OpenAIChatModel, openAIEmbedder } from './adapters/openai-chat-model';
import { QStashJobQueue, QStashJobVerifier } from './adapters/qstash-job-queue';
import { RedisApiKeys } from './adapters/redis-api-keys';
import { RedisEventLog } from './adapters/redis-event-log';
import { RedisLedger } from './adapters/redis-ledger';
import { RedisTurnLog } from './adapters/redis-turn-log';
import { UpstashMemoryIndex } from './adapters/upstash-memory-index';
import type { Config } from './config';
import type { ApiKeys, ChatModel, Clock, EventLog, JobQueue, JobVerifier, MemoryIndex, MemoryLedger, TurnLog } from './ports';

export type StoreName = 'redis' | 'vector' | 'qstash' | 'llm';

export interface Deps {
  config: Config;
  clock: Clock;
  turns: TurnLog;
  events: EventLog;
  ledger: MemoryLedger;
  apiKeys: ApiKeys;
  index: MemoryIndex;
  queue: JobQueue;
  verifier: JobVerifier;
  llm: ChatModel;
  /** One cheap real call per store, for /health. */
  probes: Record<StoreName, () => Promise<unknown>>;
}

/** Network errors are retried twice with a short backoff; HTTP errors are never retried by the SDKs. */
const retry = { retries: 2, backoff: (n: number) => 25 * 2 ** n };

export function buildDeps(config: Config, overrides: Partial<Pick<Deps, 'clock'>> = {}): Deps {
  const deadline = () => AbortSignal.timeout(config.UPSTREAM_TIMEOUT_MS);
  const redis = new Redis({
    url: config.UPSTASH_REDIS_REST_URL,
    token: config.UPSTASH_REDIS_REST_TOKEN,
    retry,
    signal: deadline,
    enableTelemetry: false,
  });
  const vector = new Index({
    url: config.UPSTASH_VECTOR_REST_URL,
    token: config.UPSTASH_VECTOR_REST_TOKEN,
    retry,
    signal: deadline,
    enableTelemetry: false,
  });
  const qstash = new QStashClient({ baseUrl: config.QSTASH_URL, token: config.QSTASH_TOKEN, retry });
  const openai = new OpenAI({
    apiKey: config.OPENAI_API_KEY,
    ...(config.OPENAI_BASE_URL ? { baseURL: config.OPENAI_BASE_URL } : {}),
    maxRetries: 1,
    timeout: config.LLM_TIMEOUT_MS,
  });
  const embed = config.EMBEDDINGS === 'openai' ? openAIEmbedder(openai, config.EMBEDDING_MODEL, config.EMBEDDING_DIMENSIONS) : undefined;

  return {
    config,
    clock: overrides.clock ?? { now: () => Date.now() },
    turns: new RedisTurnLog(redis),
    events: new RedisEventLog(redis),
    ledger: new RedisLedger(redis),
    apiKeys: new RedisApiKeys(redis),
    index: new UpstashMemoryIndex(vector, embed),
    queue: new QStashJobQueue(qstash, config.PUBLIC_BASE_URL),
    verifier: new QStashJobVerifier(
      new Receiver({ currentSigningKey: config.QSTASH_CURRENT_SIGNING_KEY, nextSigningKey: config.QSTASH_NEXT_SIGNING_KEY }),
    ),
    llm: new OpenAIChatModel(openai, config.LLM_MODEL),
    probes: {
      redis: () => redis.ping(),
      vector: () => vector.info(),
      qstash: () => qstash.schedules.list(),
      llm: () => openai.models.list({ timeout: 3000, maxRetries: 0 }),
    },
  };
}
