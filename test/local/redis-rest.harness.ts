/**
 * Shared set-up for the Redis REST conformance tests: the same suite runs against the in-memory
 * engine and, when REDIS_URL is set, against a real Redis (skipped otherwise).
 *
 * The real Redis is shared by everything on the machine, so every key a test makes goes through
 * `key()` (a prefix unique to this run) and the harness deletes those keys afterwards; nothing ever
 * flushes it. Time moves by advancing the server clock, never by sleeping.
 */
import { randomUUID } from 'node:crypto';
import { Redis } from '@upstash/redis';
import { afterAll, beforeAll, describe } from 'vitest';
import { startRedisRest } from '../../scripts/local/redis-rest.js';

export const TOKEN = 'redis-rest-test-token';

export interface EngineCase {
  kind: 'memory' | 'redis';
  redisUrl?: string;
}

export const ENGINES: EngineCase[] = [
  { kind: 'memory' },
  { kind: 'redis', redisUrl: process.env.REDIS_URL },
];

export interface Harness {
  kind: EngineCase['kind'];
  server: Awaited<ReturnType<typeof startRedisRest>>;
  /** The official SDK with its defaults (auto-pipelining, base64, read-your-writes). */
  redis: Redis;
  /** A key unique to this run. */
  key(name: string): string;
  /** Advances the server clock through its control route. */
  advance(ms: number): Promise<number>;
  /** A raw POST to a protocol route, for checking the wire itself. */
  post(path: string, body: unknown, headers?: Record<string, string>): Promise<Response>;
}

async function deleteRunKeys(h: Harness, prefix: string): Promise<void> {
  let cursor: string | number = 0;
  do {
    const [next, keys]: [string | number, string[]] = await h.redis.scan(cursor, { match: `${prefix}*`, count: 1000 });
    if (keys.length > 0) await h.redis.del(...keys);
    cursor = next;
  } while (String(cursor) !== '0');
}

async function startHarness(c: EngineCase): Promise<Harness> {
  const server = await startRedisRest({ token: TOKEN, redisUrl: c.redisUrl });
  const prefix = `engram-test:redis-rest:${randomUUID()}:`;
  const post = (path: string, body: unknown, headers: Record<string, string> = {}) =>
    fetch(`${server.url}${path}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json', ...headers },
      body: typeof body === 'string' ? body : JSON.stringify(body),
    });
  return {
    kind: c.kind,
    server,
    redis: new Redis({ url: server.url, token: TOKEN, enableTelemetry: false }),
    key: (name) => `${prefix}${name}`,
    post,
    advance: async (ms) => {
      const res = await post('/_local/clock', { advance_ms: ms });
      return ((await res.json()) as { now: number }).now;
    },
  };
}

/**
 * Declares `title` once per engine. `body` receives a getter, because the harness only exists once
 * beforeAll has run.
 */
export function describeEngines(title: string, body: (h: () => Harness, c: EngineCase) => void): void {
  describe.each(ENGINES)(`${title} [$kind engine]`, (c) => {
    const skip = c.kind === 'redis' && !c.redisUrl;
    describe.skipIf(skip)(skip ? 'skipped: set REDIS_URL to run on a real Redis' : 'via @upstash/redis', () => {
      let harness: Harness | undefined;
      beforeAll(async () => {
        harness = await startHarness(c);
      });
      afterAll(async () => {
        if (!harness) return;
        const prefix = harness.key('');
        await deleteRunKeys(harness, prefix);
        await harness.server.close();
      });
      body(() => {
        if (!harness) throw new Error('harness not started');
        return harness;
      }, c);
    });
  });
}
