/**
 * Turns a publish request (its destination, `Upstash-*` headers and body) into a PublishSpec.
 * The same parser serves publish, enqueue, batch items, schedule creation and every schedule tick,
 * so all of them honour the same headers (UPSTASH_PROTOCOLS.md §3.3).
 */
import type { IncomingHttpHeaders } from 'node:http';
import { parseDuration } from './duration.js';
import { evaluateRetryDelay } from './retry-delay.js';
import type { CallbackSpec, HttpMethod, PublishSpec } from './types.js';

/** A client error: answered as `{"error": message}` with `status` (400 unless said otherwise). */
export class QStashError extends Error {
  constructor(
    message: string,
    readonly status = 400,
  ) {
    super(message);
  }
}

const METHODS: readonly HttpMethod[] = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'];
const DEFAULT_RETRIES = 3;

/** Node's header object → lowercase name → single string (repeated headers joined like fetch does). */
export function flattenHeaders(headers: IncomingHttpHeaders | Record<string, unknown>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined || value === null) continue;
    out[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : String(value);
  }
  return out;
}

/** The real service's text for a destination that is neither a URL nor a known URL group (§3.7). */
export function assertDestination(url: string): void {
  if (!/^https?:\/\//i.test(url)) {
    throw new QStashError('invalid destination url: endpoint has invalid scheme, add http:// or https://');
  }
}

function method(value: string | undefined, what: string): HttpMethod {
  const m = (value ?? 'POST').toUpperCase();
  if (!(METHODS as readonly string[]).includes(m)) throw new QStashError(`invalid ${what}: ${value}`);
  return m as HttpMethod;
}

function count(value: string | undefined, what: string, fallback: number): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) throw new QStashError(`invalid ${what}: ${value}`);
  return n;
}

function duration(value: string | undefined, what: string): number | undefined {
  if (value === undefined) return undefined;
  const ms = parseDuration(value);
  if (ms === undefined) throw new QStashError(`invalid ${what}: ${value}`);
  return ms;
}

function retryDelay(value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  try {
    evaluateRetryDelay(value, 0);
  } catch (err) {
    throw new QStashError(`invalid Upstash-Retry-Delay: ${(err as Error).message}`);
  }
  return value;
}

/** Headers starting with `prefix`, with the prefix cut off (names stay lowercase). */
function stripped(h: Record<string, string>, prefix: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(h)) if (name.startsWith(prefix)) out[name.slice(prefix.length)] = value;
  return out;
}

/** `Upstash-Callback*` or `Upstash-Failure-Callback*`, given the lowercase base name. */
function callbackSpec(h: Record<string, string>, base: string): CallbackSpec | undefined {
  const url = h[base];
  if (url === undefined) return undefined;
  assertDestination(url);
  const spec: CallbackSpec = {
    url,
    method: method(h[`${base}-method`], `${base}-method`),
    retries: count(h[`${base}-retries`], `${base}-retries`, DEFAULT_RETRIES),
    delayMs: duration(h[`${base}-delay`], `${base}-delay`) ?? 0,
    forward: stripped(h, `${base}-forward-`),
  };
  const rd = retryDelay(h[`${base}-retry-delay`]);
  if (rd !== undefined) spec.retryDelay = rd;
  const timeout = duration(h[`${base}-timeout`], `${base}-timeout`);
  if (timeout !== undefined) spec.timeoutMs = timeout;
  return spec;
}

/** "parallelism=2, rate=5, period=60s" → the parallelism, the only part enforced locally. */
function parallelismOf(value: string | undefined): number | undefined {
  const m = value?.match(/parallelism\s*=\s*(\d+)/i);
  return m?.[1] === undefined ? undefined : Number(m[1]);
}

/**
 * Parses one publish. `now` is the local clock; `Upstash-Not-Before` (unix seconds) wins over
 * `Upstash-Delay`. Throws QStashError (400) on a bad destination or header value.
 */
export function parsePublish(url: string, h: Record<string, string>, body: Buffer, now: number): PublishSpec {
  assertDestination(url);
  const m = method(h['upstash-method'], 'Upstash-Method');
  const delay = duration(h['upstash-delay'], 'Upstash-Delay') ?? 0;
  const nbSeconds = h['upstash-not-before'];
  if (nbSeconds !== undefined && !/^\d+$/.test(nbSeconds)) throw new QStashError(`invalid Upstash-Not-Before: ${nbSeconds}`);
  const spec: PublishSpec = {
    url,
    method: m,
    // A GET has no body on delivery, so it has none here either (the signature hashes what is sent).
    body: m === 'GET' ? Buffer.alloc(0) : body,
    forward: stripped(h, 'upstash-forward-'),
    notBefore: nbSeconds !== undefined ? Number(nbSeconds) * 1000 : now + delay,
    retries: count(h['upstash-retries'], 'Upstash-Retries', DEFAULT_RETRIES),
    contentDedup: (h['upstash-content-based-deduplication'] ?? '').toLowerCase() === 'true',
    labels: (h['upstash-label'] ?? '').split(',').map((l) => l.trim()).filter(Boolean),
  };
  const optional: Partial<PublishSpec> = {
    contentType: h['content-type'],
    retryDelay: retryDelay(h['upstash-retry-delay']),
    timeoutMs: duration(h['upstash-timeout'], 'Upstash-Timeout'),
    dedupId: h['upstash-deduplication-id'],
    callback: callbackSpec(h, 'upstash-callback'),
    failureCallback: callbackSpec(h, 'upstash-failure-callback'),
    queueName: h['upstash-queue-name'],
    flowControlKey: h['upstash-flow-control-key'],
    flowControlValue: h['upstash-flow-control-value'],
    parallelism: parallelismOf(h['upstash-flow-control-value']),
  };
  for (const [k, v] of Object.entries(optional)) if (v !== undefined) Object.assign(spec, { [k]: v });
  return spec;
}
