/**
 * Which upstream calls one hot-path request makes, and in how many sequential waves — read from the
 * local servers' request logs rather than inferred from timings. The servers run in this process, so
 * their log times (performance.now()) share the client's clock: only calls that start between sending
 * the request and receiving its answer count (background work after the answer is left out).
 * With an added delay every call lasts at least D ms, so "started after another ended" is clear-cut.
 */
import { performance } from 'node:perf_hooks';
import type { LogEntry } from '../local/server';
import { callRoute, HOT_ROUTES, type HotRoute, type Scope } from './latency';
import type { BenchStack } from './stack';
import { median } from './stats';

const SERVICES = ['redis', 'vector', 'qstash'] as const;
type Service = (typeof SERVICES)[number];

export interface CallTrace {
  /** Upstream calls per request, by service (median of the samples). */
  calls: Record<Service, number>;
  /** Sequential waves: 1 + the longest chain of calls where each starts after the previous ended. */
  waves: number;
  /** The calls of the last sample in start order, e.g. "redis /pipeline [get evalsha]", for the report. */
  example: string[];
}

type Call = LogEntry & { service: Service };

export function countWaves(calls: Call[]): number {
  const sorted = [...calls].sort((a, b) => a.started_at - b.started_at);
  const depth: number[] = [];
  sorted.forEach((c, i) => {
    const before = sorted.slice(0, i).filter((p) => p.ended_at <= c.started_at).map((_, j) => depth[j]!);
    depth.push(1 + Math.max(0, ...before));
  });
  return Math.max(0, ...depth);
}

/** "redis /pipeline [get evalsha]": the Redis commands are read from the log's body excerpt (its first 160 bytes). */
function describe(c: Call): string {
  const commands = c.service === 'redis' ? [...c.excerpt.matchAll(/\["([a-zA-Z]+)"/g)].map((m) => m[1]!.toLowerCase()) : [];
  return `${c.service} ${c.path.replace(/\/v2\/publish\/.*/, '/v2/publish')}${commands.length > 0 ? ` [${commands.join(' ')}]` : ''}`;
}

export async function traceCalls(stack: BenchStack, scope: Scope, delayMs: number, samples = 5): Promise<Record<HotRoute, CallTrace>> {
  const servers = stack.engram.stack.servers;
  const out = {} as Record<HotRoute, CallTrace>;
  await stack.setUpstreamDelay(delayMs);
  try {
    for (const route of HOT_ROUTES) {
      const counts: Record<Service, number[]> = { redis: [], vector: [], qstash: [] };
      const waves: number[] = [];
      let example: string[] = [];
      for (let i = 0; i < samples; i++) {
        for (const s of SERVICES) servers[s].log.length = 0;
        const sent = performance.now();
        await callRoute(stack.api, route, scope, i);
        const answered = performance.now();
        const calls: Call[] = SERVICES.flatMap((s) => servers[s].log.filter((e) => e.started_at >= sent && e.started_at <= answered).map((e) => ({ ...e, service: s })));
        for (const s of SERVICES) counts[s].push(calls.filter((c) => c.service === s).length);
        waves.push(countWaves(calls));
        example = calls.sort((a, b) => a.started_at - b.started_at).map(describe);
      }
      out[route] = { calls: { redis: median(counts.redis), vector: median(counts.vector), qstash: median(counts.qstash) }, waves: median(waves), example };
    }
  } finally {
    await stack.setUpstreamDelay(0);
  }
  return out;
}
