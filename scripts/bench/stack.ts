/**
 * The system under test: the local stack and the real Worker under `wrangler dev` (scripts/local/engram.ts,
 * the same start as `npm start`), on free ports, with a fresh tenant whose key carries a limit far above
 * what the benchmark sends — the rate-limit count still runs on every request, as in production, but
 * never refuses one.
 *
 * QStash runs in drain mode: the extraction jobs that ingest enqueues are kept, never delivered, so no
 * background LLM work competes with the measured requests for the two cores. (Ingest-ack never waits
 * for extraction, so its latency is the same either way.)
 */
import { readdirSync, readFileSync } from 'node:fs';
import { startEngram, type LocalEngram } from '../local/engram';
import { LOCAL_TOKENS } from '../local/stack';
import { BenchClient } from './client';

export interface BenchStack {
  engram: LocalEngram;
  tenant: string;
  /** A client carrying the tenant's API key. */
  api: BenchClient;
  /** Sets the added delay of every Upstash stand-in (Redis REST, Vector REST, QStash) per call, ms. */
  setUpstreamDelay(ms: number): Promise<void>;
  /** Sets the local LLM's added latency per chat and per embeddings call, ms. */
  setLlmLatency(latency: { chat_ms: number; embeddings_ms: number }): Promise<void>;
  /**
   * The workerd processes wrangler started (its process group): `all`, and `user`, the one that runs
   * Engram's code. wrangler dev runs two: a dev proxy that takes the browser-facing port and forwards
   * to the runtime of the user Worker — the one started with an inspector address (wrangler reads the
   * Worker's console through it). `user` is all of them if that flag is not found.
   */
  workerdPids(): { user: number[]; all: number[] };
  stop(): Promise<void>;
}

/** A key's limit far above any benchmark's request count within one window. */
const BENCH_RATE_LIMIT = { requests: 1_000_000, window: '60 s' };

async function control(url: string, token: string, path: string, body: unknown): Promise<void> {
  const res = await fetch(`${url}${path}`, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: JSON.stringify(body) });
  if (!res.ok) throw new Error(`${url}${path}: ${res.status} ${await res.text()}`);
}

/** Processes whose process group is `pgid` and whose command name is `name` (from /proc/<pid>/stat). */
export function processesInGroup(pgid: number, name: string): number[] {
  const pids: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      // "pid (comm) state ppid pgrp …": comm may hold spaces, so split after its closing parenthesis.
      const comm = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      if (comm === name && Number(fields[2]) === pgid) pids.push(Number(entry));
    } catch {
      // the process ended while we looked
    }
  }
  return pids;
}

function cmdline(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').join(' ');
  } catch {
    return '';
  }
}

export async function startBenchStack(say: (line: string) => void): Promise<BenchStack> {
  say('starting the local stack and the Worker (wrangler dev)…');
  const engram = await startEngram({ delivery: 'drain', varsVia: 'flags', output: 'quiet', healthTimeoutMs: 90_000 });
  try {
    await engram.ready;
  } catch (err) {
    await engram.stop();
    throw err;
  }
  const { servers } = engram.stack;
  const tenant = `bench-${Date.now().toString(36)}`;
  const admin = new BenchClient(engram.origin, `Bearer ${LOCAL_TOKENS.admin}`);
  const minted = JSON.parse((await admin.expect(201, 'POST', `/v1/admin/tenants/${tenant}/keys`, { rate_limit: BENCH_RATE_LIMIT })).text) as { key: string };
  admin.close();
  const api = new BenchClient(engram.origin, `Bearer ${minted.key}`);
  const upstreams: Array<[string, string]> = [
    [servers.redis.url, LOCAL_TOKENS.redis],
    [servers.vector.url, LOCAL_TOKENS.vector],
    [servers.qstash.url, LOCAL_TOKENS.qstash],
  ];
  return {
    engram,
    tenant,
    api,
    setUpstreamDelay: async (ms) => {
      await Promise.all(upstreams.map(([url, token]) => control(url, token, '/_local/faults', { delay_ms: ms })));
    },
    setLlmLatency: (latency) => control(servers.llm.url, LOCAL_TOKENS.llm, '/_local/llm/latency', latency),
    workerdPids: () => {
      const all = engram.wrangler.pid ? processesInGroup(engram.wrangler.pid, 'workerd') : [];
      const user = all.filter((pid) => cmdline(pid).includes('--inspector-addr'));
      return { all, user: user.length > 0 ? user : all };
    },
    stop: async () => {
      api.close();
      await engram.stop();
    },
  };
}
