/**
 * One autocannon run of the mixed workload against the Worker: `connections` keep-alive connections
 * for `seconds`, each sending its next request as soon as the last is answered (closed loop).
 *
 * It tallies, per route, the answers by verdict (workload.ts) and the wall time of each (from writing
 * the request to the last byte of the answer, ms, as autocannon times it; no coordinated-omission
 * correction), plus the socket errors and timeouts that belong to no answer, and the answers per
 * second of the run. Requests still in flight when the time is up are dropped, not counted.
 */
import autocannon, { type Client } from 'autocannon';
import { performance } from 'node:perf_hooks';
import { judge, mixedRequests, routeOf, ROUTES, type Route } from './workload';

export interface FireOptions {
  origin: string;
  /** The `Authorization` header value. */
  auth: string;
  connections: number;
  seconds: number;
  users: number;
  seed: number;
  /** Seconds before an unanswered request counts as a timeout (a hang). */
  timeoutSeconds: number;
}

export interface RouteTally {
  ok: number;
  clean_503: number;
  reloads: number;
  failures: number;
  /** Every answer's wall time, ms. */
  ms: number[];
}

export interface Shot {
  connections: number;
  seconds: number;
  /** Answers in each second of the run. */
  per_second: number[];
  routes: Record<Route, RouteTally>;
  socket_errors: number;
  timeouts: number;
  /** Status codes of the failures, with a few of their bodies, for the report. */
  failure_statuses: Record<string, number>;
  failure_examples: string[];
}

const MAX_EXAMPLES = 5;

export async function fire(opts: FireOptions): Promise<Shot> {
  const routes = Object.fromEntries(ROUTES.map((r) => [r, { ok: 0, clean_503: 0, reloads: 0, failures: 0, ms: [] as number[] }])) as Record<Route, RouteTally>;
  const failureStatuses: Record<string, number> = {};
  const examples: string[] = [];
  const requests = mixedRequests(opts.users, opts.seed, (route, status, body) => {
    const verdict = judge(route, status, body);
    if (verdict === 'ok') routes[route].ok++;
    else if (verdict === 'clean_503') routes[route].clean_503++;
    else if (verdict === 'reload') routes[route].reloads++;
    else {
      routes[route].failures++;
      failureStatuses[status] = (failureStatuses[status] ?? 0) + 1;
      if (examples.length < MAX_EXAMPLES) examples.push(`${route} → ${status} ${body.slice(0, 200)}`);
    }
  });
  const instance = autocannon({
    url: opts.origin,
    connections: opts.connections,
    duration: opts.seconds,
    timeout: opts.timeoutSeconds,
    headers: { authorization: opts.auth },
    requests,
  });
  const perSecond: number[] = [];
  const started = performance.now();
  instance.on('response', (client: Client, _status: number, _bytes: number, ms: number) => {
    routes[routeOf(client.requestIterator.context)].ms.push(ms);
    const second = Math.floor((performance.now() - started) / 1000);
    perSecond[second] = (perSecond[second] ?? 0) + 1;
  });
  const result = await instance;
  return {
    connections: opts.connections,
    seconds: result.duration,
    per_second: Array.from(perSecond, (n) => n ?? 0),
    routes,
    socket_errors: result.errors - result.timeouts,
    timeouts: result.timeouts,
    failure_statuses: failureStatuses,
    failure_examples: examples,
  };
}
