/**
 * Helpers for the Node-side compat tests. `useEngram()` installs Mem0's own client (mem0ai, pinned in
 * test/mem0/package.json) into test/mem0 when missing — never into Engram's dependencies — and runs
 * the real Worker under `wrangler dev` on the local stack for the file, its QStash in drain mode (tests
 * deliver jobs themselves: no timers, no sleeps). Each test mints its own tenant.
 *
 * The install is `npm ci` from test/mem0/package-lock.json with `--omit=peer` (mem0ai lists
 * better-sqlite3 and forty other stores as peers; its MemoryClient entry needs none of them) and
 * `--ignore-scripts` (nothing is compiled): 49 packages, about 27 MB, a few seconds.
 *
 * This runs in the test file's own process, not in a vitest globalSetup: a second global setup that
 * loads the local stack (and so ioredis) next to the workers project's fails in vitest's main process.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll } from 'vitest';
import { ROOT, startEngram, type LocalEngram } from '../../scripts/local/engram';
import { LOCAL_TOKENS } from '../../scripts/local/stack';

const MEM0_DIR = join(ROOT, 'test', 'mem0');

/** Where the running stack is; filled in by useEngram's beforeAll. */
export const stack = { origin: '', qstash: '', mem0Entry: join(MEM0_DIR, 'node_modules', 'mem0ai', 'dist', 'index.mjs') };

const version = (file: string): string | undefined => (existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as { version?: string }).version : undefined);

function ensureMem0(): void {
  const wanted = (JSON.parse(readFileSync(join(MEM0_DIR, 'package.json'), 'utf8')) as { dependencies: Record<string, string> }).dependencies.mem0ai;
  if (version(join(MEM0_DIR, 'node_modules', 'mem0ai', 'package.json')) === wanted) return;
  execFileSync('npm', ['ci', '--prefix', MEM0_DIR, '--ignore-scripts', '--omit=peer', '--no-audit', '--no-fund'], { cwd: ROOT, stdio: 'inherit' });
}

export function useEngram(): void {
  let engram: LocalEngram | undefined;
  beforeAll(async () => {
    ensureMem0();
    engram = await startEngram({ delivery: 'drain', varsVia: 'flags', output: 'quiet', redisUrl: process.env.REDIS_URL, extraVars: { EXTRACT_DEBOUNCE_SECONDS: '2' } });
    await engram.ready;
    Object.assign(stack, { origin: engram.origin, qstash: engram.stack.servers.qstash.url });
  }, 180_000);
  afterAll(async () => {
    await engram?.stop();
  });
}

let counter = 0;
export const unique = (prefix: string) => `${prefix}-${Date.now().toString(36)}-${(counter++).toString(36)}-${Math.random().toString(36).slice(2, 6)}`;

export async function mintKey(tenant = unique('t')): Promise<{ key: string; key_id: string; tenant: string }> {
  const res = await fetch(`${stack.origin}/v1/admin/tenants/${tenant}/keys`, { method: 'POST', headers: { authorization: `Bearer ${LOCAL_TOKENS.admin}` } });
  if (res.status !== 201) throw new Error(`mint failed: ${res.status} ${await res.text()}`);
  return (await res.json()) as { key: string; key_id: string; tenant: string };
}

/** A raw call to the Worker: status and parsed JSON. */
export async function http(method: string, path: string, headers: Record<string, string> = {}, body?: unknown) {
  const res = await fetch(`${stack.origin}${path}`, {
    method,
    headers: { ...headers, ...(body !== undefined && { 'content-type': 'application/json' }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, json: text ? (JSON.parse(text) as any) : undefined };
}

async function qstash(path: string, body: unknown) {
  const res = await fetch(`${stack.qstash}${path}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${LOCAL_TOKENS.qstash}`, 'content-type': 'application/json' },
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
