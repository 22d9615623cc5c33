/**
 * Latency of the three hot-path routes at the Worker, sequential requests (one in flight), with the
 * Upstash stand-ins adding D ms per call and with no added delay. The two conditions alternate in
 * blocks of 25 requests (the machine is shared: load that comes and goes then hits both alike); the
 * report takes the median across repetitions of each percentile.
 *
 * waves = (p50 with D − p50 without) / D: how many upstream round trips a request waits for one after
 * the other. Calls inside one parallel wave overlap, so they count once; the budget is 1.
 */
import type { Answer, BenchClient } from './client';
import { medianSpread, round, spread, type Spread } from './stats';
import { bodies, prng, query, sentence } from './workload';

export const HOT_ROUTES = ['ingest', 'context', 'search'] as const;
export type HotRoute = (typeof HOT_ROUTES)[number];

export interface Scope {
  user: string;
  run: string;
}

const rand = prng(7);

/** One request of `route`; throws unless it answers with the route's success status. */
export function callRoute(api: BenchClient, route: HotRoute | 'trivial', scope: Scope, i: number): Promise<Answer> {
  switch (route) {
    case 'ingest':
      return api.expect(202, 'POST', '/v1/memories', bodies.ingest(scope.user, scope.run, sentence(rand)));
    case 'context':
      return api.expect(200, 'POST', '/v1/context', bodies.context(scope.user, scope.run, query(i)));
    case 'search':
      return api.expect(200, 'POST', '/v1/memories/search', bodies.search(scope.user, query(i)));
    case 'trivial':
      // No I/O: an unknown path runs the middleware chain and answers the 404 envelope.
      return api.expect(404, 'GET', '/bench-no-such-route');
  }
}

/** `n` sequential requests after `warmup` unmeasured ones; the wall time of each, ms. */
export async function timeRoute(api: BenchClient, route: HotRoute, scope: Scope, n: number, warmup: number): Promise<number[]> {
  for (let i = 0; i < warmup; i++) await callRoute(api, route, scope, i);
  const times: number[] = [];
  for (let i = 0; i < n; i++) times.push((await callRoute(api, route, scope, i)).ms);
  return times;
}

export interface LatencyOptions {
  delayMs: number;
  requests: number;
  reps: number;
  warmup: number;
}

export type RouteLatency = Spread & { waves: number };

export interface LatencyResult {
  with_delay: Record<HotRoute, Spread>;
  without_delay: Record<HotRoute, Spread>;
  routes: Record<HotRoute, RouteLatency>;
}

/** Requests per block: the two conditions alternate block by block, so both see the same background load. */
const BLOCK = 25;

/** One repetition of one route: `requests` timed under each condition, interleaved in blocks. */
async function interleaved(api: BenchClient, setDelay: (ms: number) => Promise<void>, route: HotRoute, scope: Scope, delayMs: number, opts: LatencyOptions) {
  const times = { without: [] as number[], with: [] as number[] };
  await setDelay(0);
  for (let i = 0; i < opts.warmup; i++) await callRoute(api, route, scope, i);
  for (let block = 0; times.with.length < opts.requests; block++) {
    // Alternate which condition goes first, so neither always follows the other.
    const order = block % 2 === 0 ? (['without', 'with'] as const) : (['with', 'without'] as const);
    for (const label of order) {
      await setDelay(label === 'with' ? delayMs : 0);
      const n = Math.min(BLOCK, opts.requests - times[label].length);
      for (let i = 0; i < n; i++) times[label].push((await callRoute(api, route, scope, block * BLOCK + i)).ms);
    }
  }
  return { without: spread(times.without), with: spread(times.with) };
}

export async function measureLatency(
  api: BenchClient,
  setDelay: (ms: number) => Promise<void>,
  scope: Scope,
  opts: LatencyOptions,
  say: (line: string) => void,
): Promise<LatencyResult> {
  const runs = { with: new Map<HotRoute, Spread[]>(), without: new Map<HotRoute, Spread[]>() };
  try {
    for (let rep = 1; rep <= opts.reps; rep++) {
      for (const route of HOT_ROUTES) {
        const s = await interleaved(api, setDelay, route, scope, opts.delayMs, opts);
        for (const label of ['without', 'with'] as const) runs[label].set(route, [...(runs[label].get(route) ?? []), s[label]]);
        const fmt = (x: Spread) => `p50 ${x.p50_ms.toFixed(2)} p95 ${x.p95_ms.toFixed(2)} p99 ${x.p99_ms.toFixed(2)}`;
        say(`  latency rep ${rep}/${opts.reps} ${route.padEnd(7)} no delay: ${fmt(s.without)} | D=${opts.delayMs}: ${fmt(s.with)} ms`);
      }
    }
  } finally {
    await setDelay(0);
  }
  const pick = (label: 'with' | 'without') =>
    Object.fromEntries(HOT_ROUTES.map((r) => [r, roundSpread(medianSpread(runs[label].get(r)!))])) as Record<HotRoute, Spread>;
  const withDelay = pick('with');
  const withoutDelay = pick('without');
  const routes = Object.fromEntries(
    HOT_ROUTES.map((r) => [r, { ...withDelay[r], waves: round((withDelay[r].p50_ms - withoutDelay[r].p50_ms) / opts.delayMs) }]),
  ) as Record<HotRoute, RouteLatency>;
  return { with_delay: withDelay, without_delay: withoutDelay, routes };
}

const roundSpread = (s: Spread): Spread => ({ p50_ms: round(s.p50_ms), p95_ms: round(s.p95_ms), p99_ms: round(s.p99_ms) });
