/**
 * What the load test sends and how it judges each answer.
 *
 * The mix is a fixed cycle of ten requests — 7 × POST /v1/context, 2 × POST /v1/memories (async
 * ingest), 1 × POST /v1/memories/search — interleaved so no route comes in a burst. Every request
 * is built when it is sent: the scope is a random one of the seeded users (each with a session whose buffer
 * the ingests fill), the queries rotate over the benchmark's questions and each ingest carries a new
 * sentence (the benchmark's seeded word lists, scripts/bench/workload.ts).
 *
 * An answer is `ok` (the route's success status), a clean 503 (the error envelope with
 * UPSTREAM_UNAVAILABLE and a request id: what an upstream fault must give), a reload (wrangler dev's
 * own 503 when it restarts the Worker because a source file changed under it: not Engram's answer, so
 * counted apart and shown), or a failure (anything else: a 500, another code, a 503 without the envelope).
 */
import type { Request } from 'autocannon';
import * as z from 'zod';
import { bodies, prng, query, sentence } from '../bench/workload';

export const ROUTES = ['context', 'ingest', 'search'] as const;
export type Route = (typeof ROUTES)[number];

export const ROUTE_PATHS: Record<Route, string> = {
  context: '/v1/context',
  ingest: '/v1/memories',
  search: '/v1/memories/search',
};

const SUCCESS: Record<Route, number> = { context: 200, ingest: 202, search: 200 };

/** One cycle: 70 % context, 20 % ingest, 10 % search. */
export const MIX: readonly Route[] = ['context', 'ingest', 'context', 'context', 'search', 'context', 'ingest', 'context', 'context', 'context'];

export const loadUser = (i: number): string => `load-user-${i}`;
export const loadRun = (i: number): string => `load-run-${i}`;

export type Verdict = 'ok' | 'clean_503' | 'reload' | 'failure';

/** The envelope an upstream fault must give (src/http/envelope.ts). */
const UpstreamUnavailable = z.object({ error: z.object({ code: z.literal('UPSTREAM_UNAVAILABLE'), message: z.string(), request_id: z.string() }) });

/** The text of wrangler dev's answer to a request cut short by a reload of the Worker. */
const DEV_RELOAD = 'Your worker restarted mid-request';

export function judge(route: Route, status: number, body: string): Verdict {
  if (status === SUCCESS[route]) return 'ok';
  if (status !== 503) return 'failure';
  if (body.startsWith(DEV_RELOAD)) return 'reload';
  try {
    return UpstreamUnavailable.safeParse(JSON.parse(body)).success ? 'clean_503' : 'failure';
  } catch {
    return 'failure'; // not JSON
  }
}

/**
 * The autocannon request list: one entry whose `setupRequest` picks the route of each request from
 * the cycle by a counter shared by all connections (so the mix holds over any number of requests, not
 * per connection) and notes it in the connection's context, where `onAnswer` and the runner's timing
 * read it back (see routeOf).
 */
export function mixedRequests(users: number, seed: number, onAnswer: (route: Route, status: number, body: string) => void): Request[] {
  const rand = prng(seed);
  let n = 0;
  const setupRequest = (req: Request, context: Record<string, unknown>): Request => {
    const i = n++;
    const route = MIX[i % MIX.length]!;
    const u = Math.floor(rand() * users);
    const body =
      route === 'context'
        ? bodies.context(loadUser(u), loadRun(u), query(i))
        : route === 'ingest'
          ? bodies.ingest(loadUser(u), loadRun(u), sentence(rand))
          : bodies.search(loadUser(u), query(i));
    context.route = route;
    return { ...req, path: ROUTE_PATHS[route], body: JSON.stringify(body) };
  };
  return [
    {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      setupRequest,
      onResponse: (status, body, context) => onAnswer(routeOf(context), status, body),
    },
  ];
}

/** The route a connection's current request was built for. */
export function routeOf(context: Record<string, unknown>): Route {
  return context.route as Route;
}
