/**
 * The slice of `autocannon` (an HTTP/1.1 load generator, shipped without types) that the load test
 * uses: one instance per run, requests built per call by `setupRequest`, answers seen per request by
 * `onResponse`, and the instance's `response` and `reqError` events.
 */
declare module 'autocannon' {
  import type { EventEmitter } from 'node:events';

  export interface Request {
    method?: string;
    path?: string;
    headers?: Record<string, string>;
    body?: string | Buffer;
    /** Called for every request this entry sends; returns the request to send (a copy is fine). */
    setupRequest?: (req: Request, context: Record<string, unknown>) => Request;
    /** Called with each answer to a request of this entry, before the instance's `response` event. */
    onResponse?: (status: number, body: string, context: Record<string, unknown>, headers: Record<string, string | string[]>) => void;
  }

  export interface Options {
    url: string;
    connections?: number;
    /** Seconds. */
    duration?: number;
    /** Requests per second over all connections; each connection gets an equal integer share. */
    overallRate?: number;
    /** Seconds before an unanswered request counts as a timeout (default 10). */
    timeout?: number;
    headers?: Record<string, string>;
    requests?: Request[];
  }

  export interface Histogram {
    average: number;
    mean: number;
    stddev: number;
    min: number;
    max: number;
    total: number;
    p50: number;
    p99: number;
  }

  export interface Result {
    latency: Histogram;
    requests: Histogram;
    errors: number;
    timeouts: number;
    non2xx: number;
    /** Seconds the run took. */
    duration: number;
    statusCodeStats: Record<string, { count: number }>;
  }

  /**
   * A connection. One request in flight at a time (no pipelining), so during its `response` event
   * `requestIterator.context` is still the context the answered request was built with.
   */
  export interface Client {
    requestIterator: { context: Record<string, unknown> };
  }

  export interface Instance extends EventEmitter, PromiseLike<Result> {
    stop(): void;
  }

  export default function autocannon(opts: Options): Instance;
}
