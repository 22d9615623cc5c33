/**
 * Helpers for the Node-side compat tests: the Worker under wrangler dev is reached over real HTTP.
 * Each test mints its own tenant; the local QStash is drained by hand (no timers, no sleeps).
 */
import { inject } from 'vitest';

export const compat = inject('compat');

let counter = 0;
export const unique = (prefix: string) => `${prefix}-${Date.now().toString(36)}-${(counter++).toString(36)}-${Math.random().toString(36).slice(2, 6)}`;

export async function mintKey(tenant = unique('t')): Promise<{ key: string; key_id: string; tenant: string }> {
  const res = await fetch(`${compat.origin}/v1/admin/tenants/${tenant}/keys`, { method: 'POST', headers: { authorization: `Bearer ${compat.tokens.admin}` } });
  if (res.status !== 201) throw new Error(`mint failed: ${res.status} ${await res.text()}`);
  return (await res.json()) as { key: string; key_id: string; tenant: string };
}

/** A raw call to the Worker: status and parsed JSON. */
export async function http(method: string, path: string, headers: Record<string, string> = {}, body?: unknown) {
  const res = await fetch(`${compat.origin}${path}`, {
    method,
    headers: { ...headers, ...(body !== undefined && { 'content-type': 'application/json' }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, json: text ? (JSON.parse(text) as any) : undefined };
}

async function qstash(path: string, body: unknown) {
  const res = await fetch(`${compat.qstash}${path}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${compat.tokens.qstash}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  if (!res.ok) throw new Error(`${path}: ${res.status} ${await res.text()}`);
  return res.json() as Promise<any>;
}

interface Delivery {
  id: string;
  url: string;
  method: string;
  headers: Record<string, string>;
  body: string;
}

/** Delivers everything the local QStash holds to the Worker (its clock moved past any delay); the statuses. */
export async function drainQueue(maxRounds = 20): Promise<number[]> {
  const statuses: number[] = [];
  for (let round = 0; round < maxRounds; round++) {
    await qstash('/_local/clock', { advance_ms: 3_600_000 });
    const due = (await qstash('/_local/qstash/pull', {})) as Delivery[];
    if (due.length === 0) return statuses;
    for (const d of due) {
      const res = await fetch(d.url, { method: d.method, headers: d.headers, body: d.body });
      const text = await res.text();
      const headers: Record<string, string> = {};
      res.headers.forEach((v, k) => (headers[k] = v));
      await qstash('/_local/qstash/report', { id: d.id, status: res.status, headers, body: text });
      statuses.push(res.status);
    }
  }
  throw new Error('queue did not drain');
}
