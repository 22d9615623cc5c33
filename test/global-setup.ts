/**
 * Vitest global setup for the workerd project: starts the local stack in Node and hands the Worker
 * its bindings (and the tests the servers' URLs) through provide/inject. QStash runs in drain mode:
 * tests pull due deliveries and run them against the Worker themselves — no timers, no sleeps.
 * With REDIS_URL set, the Redis REST server passes commands to that real Redis.
 */
import type { TestProject } from 'vitest/node';
import { LOCAL_TOKENS, startLocalStack } from '../scripts/local/stack';

export const TEST_ORIGIN = 'http://engram.test';

export default async function setup(project: TestProject) {
  const stack = await startLocalStack({ delivery: 'drain', publicBaseUrl: TEST_ORIGIN, redisUrl: process.env.REDIS_URL });
  project.provide('workerBindings', { ...stack.vars, EXTRACT_DEBOUNCE_SECONDS: '2' });
  project.provide('local', {
    redis: stack.servers.redis.url,
    vector: stack.servers.vector.url,
    qstash: stack.servers.qstash.url,
    llm: stack.servers.llm.url,
    tokens: LOCAL_TOKENS,
    redisEngine: process.env.REDIS_URL ? 'redis' : 'memory',
  });
  return () => stack.close();
}

declare module 'vitest' {
  export interface ProvidedContext {
    /** Set by vitest.config.ts for the fast slice of the fuzz and isolation properties (fuzz-kit.ts). */
    fuzzScale?: number;
    workerBindings: Record<string, string>;
    local: {
      redis: string;
      vector: string;
      qstash: string;
      llm: string;
      tokens: typeof LOCAL_TOKENS;
      redisEngine: 'memory' | 'redis';
    };
  }
}
