/**
 * The only file that names environment variables. `loadConfig(env)` validates every value once and
 * either returns a typed Config or throws a ConfigError whose message names each missing or malformed
 * variable and how to fix it — never a stack trace.
 */
import * as z from 'zod';
import { durationMs } from './duration';

const url = z.string().trim().url({ message: 'must be an http(s) URL' }).transform((u) => u.replace(/\/+$/, ''));
const secret = z.string().trim().min(1, { message: 'is empty' });
const int = (def: number, min: number, max: number) => z.coerce.number().int().min(min).max(max).default(def);
/** Five cron fields, optionally after `CRON_TZ=<zone> ` (QStash's syntax); QStash checks the fields themselves. */
const cron = z.string().trim().regex(/^(CRON_TZ=\S+ )?\S+( \S+){4}$/, { message: 'must be a 5-field cron expression, e.g. "0 * * * *"' });
/** A rate-limit window as text ("60 s") → ms, between 1 s and 1 day. */
const windowText = z
  .string()
  .transform(durationMs)
  .pipe(z.number({ message: 'must be a duration such as "60 s", "5 m" or "1 h"' }).min(1000, { message: 'must be at least 1 s' }).max(86_400_000, { message: 'must be at most 1 d' }));

const EnvSchema = z.object({
  UPSTASH_REDIS_REST_URL: url,
  UPSTASH_REDIS_REST_TOKEN: secret,
  UPSTASH_VECTOR_REST_URL: url,
  UPSTASH_VECTOR_REST_TOKEN: secret,
  QSTASH_URL: url.default('https://qstash.upstash.io'),
  QSTASH_TOKEN: secret,
  QSTASH_CURRENT_SIGNING_KEY: secret,
  QSTASH_NEXT_SIGNING_KEY: secret,
  OPENAI_API_KEY: secret,
  /** Any OpenAI-compatible API; unset means OpenAI itself. */
  OPENAI_BASE_URL: url.optional(),
  LLM_MODEL: z.string().trim().min(1).default('gpt-4o-mini'),
  /** `vector`: the Vector index embeds text itself (one round trip); `openai`: the Worker embeds first. */
  EMBEDDINGS: z.enum(['vector', 'openai']).default('vector'),
  EMBEDDING_MODEL: z.string().trim().min(1).default('text-embedding-3-small'),
  EMBEDDING_DIMENSIONS: int(1536, 8, 8192),
  /** Where QStash calls back: the Worker's own public origin. */
  PUBLIC_BASE_URL: url,
  ADMIN_TOKEN: z.string().min(16, { message: 'must be at least 16 characters' }),
  /** Turns kept per session in the working-memory buffer. */
  BUFFER_SIZE: int(50, 1, 1000),
  /** Idle time after which a session buffer is dropped, in seconds (default 7 days). */
  BUFFER_TTL_SECONDS: int(7 * 86_400, 60, 365 * 86_400),
  /** Trailing debounce of extraction: the job runs this many seconds after the last ingest. */
  EXTRACT_DEBOUNCE_SECONDS: int(2, 0, 3600),
  /** Lifetime of episode memories, in days. */
  EPISODE_TTL_DAYS: int(365, 1, 36_500),
  /** QStash cron (UTC, 5 fields) of the TTL sweep, POST /jobs/expire; created by POST /v1/admin/schedules. */
  EXPIRE_CRON: cron.default('0 * * * *'),
  /** QStash cron of the duplicate compaction, POST /jobs/compact (daily by default). */
  COMPACT_CRON: cron.default('30 3 * * *'),
  /** Deadline of each upstream call, in ms; requests fail with 503 instead of hanging past it. */
  UPSTREAM_TIMEOUT_MS: int(5000, 100, 60_000),
  LLM_TIMEOUT_MS: int(60_000, 1000, 600_000),
  /**
   * Requests each API key may make per RATE_LIMIT_WINDOW (sliding window, counted in Redis); 0 turns
   * the default limit off. A key minted with its own `rate_limit` uses that instead.
   */
  RATE_LIMIT_REQUESTS: int(600, 0, 1_000_000),
  /** The rate-limit window: "60 s", "1 m", "1 h" … (1 s to 1 d); read into milliseconds. */
  RATE_LIMIT_WINDOW: windowText.default(60_000),
});

export type Config = z.output<typeof EnvSchema>;

export class ConfigError extends Error {
  override name = 'ConfigError';
}

export function loadConfig(env: Record<string, unknown>): Config {
  const parsed = EnvSchema.safeParse(env);
  if (parsed.success) return parsed.data;
  const problems = parsed.error.issues.map((issue) => {
    const name = String(issue.path[0] ?? '?');
    const missing = env[name] === undefined || env[name] === '';
    return missing ? `${name} is missing` : `${name} ${issue.message}`;
  });
  throw new ConfigError(
    `Engram is misconfigured: ${problems.join('; ')}. ` +
      'Set these as [vars] in wrangler.toml, in .dev.vars for local runs, or with `wrangler secret put NAME`.',
  );
}
