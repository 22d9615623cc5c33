/**
 * The composition root: the only file that constructs SDK clients. `buildDeps(config)` returns the
 * typed services bag that the app puts on the request context; use cases take `Pick<Deps, …>`.
 */
import { Client as QStashClient, Receiver } from '@upstash/qstash';
import { Ratelimit } from '@upstash/ratelimit';
import { Redis } from '@upstash/redis/cloudflare';
import { Index } from '@upstash/vector/cloudflare';
import OpenAI from 'openai';
import { OpenAIChatModel, openAIEmbedder } from './adapters/openai-chat-model';
import { QStashJobQueue, QStashJobVerifier } from './adapters/qstash-job-queue';
import { RedisApiKeys } from './adapters/redis-api-keys';
import { RedisBlocks } from './adapters/redis-blocks';
import { RedisWorkingMemory } from './adapters/redis-working-memory';
import { RedisEntityGraph } from './adapters/redis-entity-graph';
import { RedisEventLog } from './adapters/redis-event-log';
import { RedisIngestSources } from './adapters/redis-ingest-sources';
import { RedisLedger } from './adapters/redis-ledger';
import { RedisScopeDirectory } from './adapters/redis-scope-directory';
import { RedisTurnLog } from './adapters/redis-turn-log';
import { RedisWebhookEndpoints } from './adapters/redis-webhook-endpoints';
import { UpstashMemoryIndex } from './adapters/upstash-memory-index';
import { UpstashRateLimiter } from './adapters/upstash-rate-limiter';
import type { Config } from './config';
import { formatDuration } from './duration';
import { keys } from './memory/keys';
import type { ApiKeys, BlockStore, ChatModel, Clock, EntityGraph, EventLog, JobQueue, JobVerifier, MemoryIndex, MemoryLedger, RateLimiter, ScopeDirectory, TurnLog, WorkingMemory } from './ports';
import type { IngestSources, WebhookEndpoints } from './ports';

export type StoreName = 'redis' | 'vector' | 'qstash' | 'llm';

export interface Deps {
  config: Config;
  clock: Clock;
  turns: TurnLog;
  events: EventLog;
  ledger: MemoryLedger;
  blocks: BlockStore;
  workingMemory: WorkingMemory;
  /** The knowledge graph: entities, aliases and the facts linking them. */
  graph: EntityGraph;
  apiKeys: ApiKeys;
  /** Who holds memories in a tenant (the Mem0-compatible users listing). */
  scopeDirectory: ScopeDirectory;
  rateLimiter: RateLimiter;
  /** Webhook ingestion sources (POST /v1/ingest/:source) and the tenants' outbound webhook endpoints. */
  sources: IngestSources;
  webhooks: WebhookEndpoints;
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
  /** Callers the rate limiter refused → when their window ends (epoch ms); one Map per isolate. */
  const refused = new Map<string, number>();
  const embed = config.EMBEDDINGS === 'openai' ? openAIEmbedder(openai, config.EMBEDDING_MODEL, config.EMBEDDING_DIMENSIONS) : undefined;

  return {
    config,
    clock: overrides.clock ?? { now: () => Date.now() },
    turns: new RedisTurnLog(redis),
    events: new RedisEventLog(redis),
    ledger: new RedisLedger(redis),
    blocks: new RedisBlocks(redis),
    workingMemory: new RedisWorkingMemory(redis),
    graph: new RedisEntityGraph(redis),
    apiKeys: new RedisApiKeys(redis),
    sources: new RedisIngestSources(redis),
    webhooks: new RedisWebhookEndpoints(redis),
    scopeDirectory: new RedisScopeDirectory(redis),
    // Same Redis client: the limiter's EVALSHA joins the key lookup's wave (auto-pipelining sends both
    // at once). No analytics (an extra write per call); no SDK timeout: the client's deadline applies.
    rateLimiter: new UpstashRateLimiter(
      (policy) =>
        new Ratelimit({
          redis,
          limiter: Ratelimit.slidingWindow(policy.requests, formatDuration(policy.window_ms) as Parameters<typeof Ratelimit.slidingWindow>[1]),
          prefix: keys.rateLimitPrefix(policy.requests, policy.window_ms),
          ephemeralCache: refused,
          analytics: false,
          timeout: 0,
          enableTelemetry: false,
        }),
    ),
    index: new UpstashMemoryIndex(vector, embed),
    queue: new QStashJobQueue(qstash, config.PUBLIC_BASE_URL, config.UPSTREAM_TIMEOUT_MS),
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
