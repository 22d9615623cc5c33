/**
 * Helpers for tests that run inside workerd: call the real Worker, mint keys, drive the local QStash
 * (drain mode) and the scripted LLM. Every test gets its own tenant; `cleanup` erases its scopes.
 */
import { exports } from 'cloudflare:workers';
import { inject } from 'vitest';

export const local = inject('local');
export const ORIGIN = 'http://engram.test';

export async function call(method: string, path: string, opts: { body?: unknown; key?: string; headers?: Record<string, string>; raw?: string } = {}) {
  const headers: Record<string, string> = { ...(opts.headers ?? {}) };
  if (opts.key) headers.authorization = `Bearer ${opts.key}`;
  let body: string | undefined = opts.raw;
  if (opts.body !== undefined) {
    headers['content-type'] = 'application/json';
    body = JSON.stringify(opts.body);
  }
  const res = await exports.default.fetch(new Request(`${ORIGIN}${path}`, { method, headers, body }));
  const text = await res.text();
  let json: any;
  try {
    json = text ? JSON.parse(text) : undefined;
  } catch {
    json = text;
  }
  return { status: res.status, headers: res.headers, json };
}

let counter = 0;
export const unique = (prefix: string) => `${prefix}-${Date.now().toString(36)}-${(counter++).toString(36)}-${Math.random().toString(36).slice(2, 6)}`;

export async function mintKey(tenant = unique('t')): Promise<{ key: string; key_id: string; tenant: string }> {
  const res = await call('POST', `/v1/admin/tenants/${tenant}/keys`, { key: local.tokens.admin });
  if (res.status !== 201) throw new Error(`mint failed: ${res.status} ${JSON.stringify(res.json)}`);
  return res.json;
}

async function control(base: string, token: string, method: string, path: string, body?: unknown) {
  const res = await fetch(`${base}${path}`, {
    method,
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (!res.ok) throw new Error(`${path}: ${res.status} ${await res.text()}`);
  return res.json() as Promise<any>;
}

export const qstash = (method: string, path: string, body?: unknown) => control(local.qstash, local.tokens.qstash, method, path, body);
export const llm = (method: string, path: string, body?: unknown) => control(local.llm, local.tokens.llm, method, path, body);
export const vector = (method: string, path: string, body?: unknown) => control(local.vector, local.tokens.vector, method, path, body);
export const redis = (method: string, path: string, body?: unknown) => control(local.redis, local.tokens.redis, method, path, body);

export interface Delivery {
  id: string;
  url: string;
  method: string;
  headers: Record<string, string>;
  body: string;
}

/** Sends a delivery to the Worker, as QStash would; a second call is an at-least-once redelivery. */
export async function redeliver(d: Delivery) {
  const res = await exports.default.fetch(new Request(d.url, { method: d.method, headers: d.headers, body: d.body }));
  const text = await res.text();
  const headers: Record<string, string> = {};
  res.headers.forEach((v: string, k: string) => (headers[k] = v));
  return { status: res.status, headers, text, json: text ? JSON.parse(text) : undefined };
}

/** Runs one pulled QStash delivery against the Worker and reports the outcome back. */
export async function deliver(d: Delivery) {
  const res = await redeliver(d);
  await qstash('POST', '/_local/qstash/report', { id: d.id, status: res.status, headers: res.headers, body: res.text });
  return res;
}

/**
 * Delivers everything QStash holds: advances its clock past debounce delays and retry backoff, and
 * repeats until nothing is due. Returns the statuses the Worker answered.
 */
export async function drainQueue(maxRounds = 20): Promise<number[]> {
  const statuses: number[] = [];
  for (let round = 0; round < maxRounds; round++) {
    await qstash('POST', '/_local/clock', { advance_ms: 3_600_000 });
    const due: Delivery[] = await qstash('POST', '/_local/qstash/pull', {});
    if (due.length === 0) return statuses;
    for (const d of due) statuses.push((await deliver(d)).status);
  }
  throw new Error('queue did not drain');
}

/** Queues exact LLM answers for the next chat calls (objects are sent as JSON). */
export const scriptLlm = (responses: unknown[]) => llm('POST', '/_local/llm/script', { responses, mode: 'replace' });
export const llmCalls = async () => (await llm('GET', '/_local/llm/calls')) as Array<{ endpoint: string; body: any }>;
export const clearLlmCalls = () => llm('DELETE', '/_local/llm/calls');

/** An operation in Engram's extraction schema, with defaults for the fields a test does not care about. */
export function op(fields: Record<string, unknown>) {
  return { event: 'ADD', ref: null, text: null, kind: 'fact', categories: [], entities: [], subject: null, predicate: null, object: null, valid_at: null, invalid_at: null, turns: [0], ...fields };
}

/**
 * Publishes a job to the local QStash (signed like any delivery) and pulls it: the delivery to pass to
 * `deliver` / `redeliver`. Anything else that was due is delivered first, so it does not linger in flight.
 */
export async function publishJob(path: string, body: unknown = {}): Promise<Delivery> {
  const res = await fetch(`${local.qstash}/v2/publish/${ORIGIN}${path}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${local.tokens.qstash}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  const { messageId } = (await res.json()) as { messageId: string };
  const due = (await qstash('POST', '/_local/qstash/pull', {})) as Array<Delivery & { message_id: string }>;
  for (const other of due) if (other.message_id !== messageId) await deliver(other);
  const mine = due.find((d) => d.message_id === messageId);
  if (!mine) throw new Error(`published ${path} but it was not due`);
  return mine;
}

/** Sequential stages among logged upstream calls: a call that starts after every earlier one ended opens a new one. */
export function waves(calls: Array<{ started_at: number; ended_at: number }>): number {
  let count = 0;
  let end = -Infinity;
  for (const c of [...calls].sort((a, b) => a.started_at - b.started_at)) {
    if (c.started_at >= end) count++;
    end = Math.max(end, c.ended_at);
  }
  return count;
}
