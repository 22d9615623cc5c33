/**
 * Search and context p50 as a scope's namespace grows (1k, 10k, 100k memories), no added delay.
 *
 * Loading: the records are written straight to the local Vector REST server with Engram's own Vector
 * adapter (src/adapters/upstash-memory-index.ts over the official @upstash/vector SDK) in batches of
 * 1000 — the same records, ids, metadata and namespace as `POST /v1/memories` with `infer: false`
 * writes (src/memory/plan.ts episodeRecord), minus the Worker round trip and the Redis history rows
 * that neither read touches. For 100k this takes seconds instead of a thousand 100-message requests.
 */
import { Index } from '@upstash/vector';
import { UpstashMemoryIndex } from '../../src/adapters/upstash-memory-index';
import { turnId } from '../../src/memory/ids';
import { namespace } from '../../src/memory/keys';
import { episodeRecord } from '../../src/memory/plan';
import { LOCAL_TOKENS } from '../local/stack';
import type { BenchClient } from './client';
import { timeRoute, type Scope } from './latency';
import { median, round } from './stats';
import { prng, sentence } from './workload';

const BATCH = 1000;
const DAY_MS = 86_400_000;

export interface ScalePoint {
  memories: number;
  search_p50_ms: number;
  context_p50_ms: number;
}

export const scaleUser = (memories: number): string => `scale-${memories}`;

/** Writes `count` episode memories into `user`'s namespace; resolves with the seconds it took. */
export async function loadScope(vectorUrl: string, tenant: string, user: string, count: number): Promise<number> {
  const index = new UpstashMemoryIndex(new Index({ url: vectorUrl, token: LOCAL_TOKENS.vector }));
  const scope = { user_id: user };
  const ns = namespace(tenant, scope);
  const rand = prng(count);
  const now = Date.now();
  const started = performance.now();
  for (let i = 0; i < count; i += BATCH) {
    const records = Array.from({ length: Math.min(BATCH, count - i) }, (_, j) => {
      // Spread over the past year, so recency ranking sees a realistic range of ages.
      const created_at = now - Math.floor(rand() * 365 * DAY_MS);
      const content = sentence(rand);
      const turn = { id: turnId('user', `${i + j} ${content}`, created_at), role: 'user' as const, content, created_at };
      return episodeRecord(scope, turn, { now, expiresAt: now + 365 * DAY_MS, metadata: {} });
    });
    await index.upsert(ns, records);
  }
  return (performance.now() - started) / 1000;
}

export interface ScaleOptions {
  sizes: number[];
  requests: number;
  reps: number;
  warmup: number;
}

export async function measureScale(api: BenchClient, opts: ScaleOptions, say: (line: string) => void): Promise<ScalePoint[]> {
  const points: ScalePoint[] = [];
  for (const memories of opts.sizes) {
    const scope: Scope = { user: scaleUser(memories), run: `scale-run-${memories}` };
    const search: number[] = [];
    const context: number[] = [];
    for (let rep = 1; rep <= opts.reps; rep++) {
      search.push(median(await timeRoute(api, 'search', scope, opts.requests, opts.warmup)));
      context.push(median(await timeRoute(api, 'context', scope, opts.requests, opts.warmup)));
    }
    const point = { memories, search_p50_ms: round(median(search)), context_p50_ms: round(median(context)) };
    say(`  scale ${String(memories).padStart(6)} memories: search p50 ${point.search_p50_ms} ms, context p50 ${point.context_p50_ms} ms`);
    points.push(point);
  }
  return points;
}
