/**
 * CPU per request inside workerd. performance.now() is coarse in local workerd and tail-worker cpuTime
 * is 0 locally, so the figure comes from the kernel: the sum of the first field of
 * /proc/<pid>/task/<tid>/schedstat (ns on CPU) over every thread of the workerd process that runs the
 * Worker (stack.ts workerdPids: wrangler's dev proxy in front of it is left out — it is not part of a
 * deployment, and its cost grows with each subrequest), before and after N sequential requests,
 * divided by N. Both processes together are kept as `all_us`. The same is measured for a route that does no
 * I/O (an unknown path: middleware chain + 404 envelope) and subtracted, which removes the runtime's
 * own per-request cost (HTTP parsing, the dev entry worker) and leaves what Engram's code adds.
 * Upstream delay is 0 here: waiting costs no CPU, it only makes the run longer.
 */
import { readdirSync, readFileSync } from 'node:fs';
import type { BenchClient } from './client';
import { callRoute, HOT_ROUTES, type HotRoute, type Scope } from './latency';
import { median, round } from './stats';

/** ns on CPU of every thread of `pids` so far. */
export function cpuNs(pids: number[]): number {
  let total = 0;
  for (const pid of pids) {
    for (const tid of readdirSync(`/proc/${pid}/task`)) {
      try {
        total += Number(readFileSync(`/proc/${pid}/task/${tid}/schedstat`, 'utf8').split(' ')[0]);
      } catch {
        // the thread ended between the listing and the read
      }
    }
  }
  return total;
}

export interface CpuOptions {
  requests: number;
  reps: number;
  warmup: number;
}

export interface CpuResult {
  /** µs per request above the trivial route, median of the repetitions. */
  net_us: Record<HotRoute, number>;
  /** µs per request as measured in the Worker's workerd, trivial route included. */
  gross_us: Record<HotRoute | 'trivial', number>;
  /** µs per request in both of wrangler dev's workerd processes (dev proxy included), trivial route included. */
  all_us: Record<HotRoute | 'trivial', number>;
  trivial_route: string;
}

export async function measureCpu(
  api: BenchClient,
  pids: () => { user: number[]; all: number[] },
  scope: Scope,
  opts: CpuOptions,
  say: (line: string) => void,
): Promise<CpuResult> {
  const routes = ['trivial', ...HOT_ROUTES] as const;
  const samples = { user: new Map<(typeof routes)[number], number[]>(), all: new Map<(typeof routes)[number], number[]>() };
  for (let rep = 1; rep <= opts.reps; rep++) {
    for (const route of routes) {
      for (let i = 0; i < opts.warmup; i++) await callRoute(api, route, scope, i);
      const watched = pids();
      if (watched.all.length === 0) throw new Error('no workerd process found in wrangler’s process group');
      const before = { user: cpuNs(watched.user), all: cpuNs(watched.all) };
      for (let i = 0; i < opts.requests; i++) await callRoute(api, route, scope, i);
      const us = { user: (cpuNs(watched.user) - before.user) / opts.requests / 1000, all: (cpuNs(watched.all) - before.all) / opts.requests / 1000 };
      for (const k of ['user', 'all'] as const) samples[k].set(route, [...(samples[k].get(route) ?? []), us[k]]);
      say(`  cpu rep ${rep}/${opts.reps} ${route.padEnd(7)}: ${us.user.toFixed(0)} µs/request in the Worker's workerd (${us.all.toFixed(0)} with the dev proxy; ${opts.requests} requests)`);
    }
  }
  const medians = (k: 'user' | 'all') => Object.fromEntries(routes.map((r) => [r, round(median(samples[k].get(r)!), 0)])) as CpuResult['gross_us'];
  const gross = medians('user');
  const net = Object.fromEntries(HOT_ROUTES.map((r) => [r, round(gross[r] - gross.trivial, 0)])) as CpuResult['net_us'];
  return { net_us: net, gross_us: gross, all_us: medians('all'), trivial_route: 'GET /bench-no-such-route (404 envelope, no I/O)' };
}
