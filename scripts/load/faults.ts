/**
 * The upstream fault knob of the four local servers (Redis REST, Vector REST, QStash, LLM), set over
 * HTTP through their control routes (scripts/local/server.ts), as the reliability tests do: `POST
 * /_local/faults` sets the share of calls answered with the server's fault response (a 5xx), and the
 * request log tells how many calls got one. A fixed seed makes each server's sequence of failed calls
 * the same from run to run (which request meets them still depends on timing).
 */
import type { BenchStack } from '../bench/stack';
import { LOCAL_TOKENS } from '../local/stack';

export interface FaultSettings {
  error_rate: number;
  seed: number;
}

export const CALM: FaultSettings = { error_rate: 0, seed: 1 };

const STORES = ['redis', 'vector', 'qstash', 'llm'] as const;
export type Store = (typeof STORES)[number];

async function control(stack: BenchStack, store: Store, method: string, path: string, body?: unknown): Promise<unknown> {
  const res = await fetch(`${stack.engram.stack.servers[store].url}${path}`, {
    method,
    headers: { authorization: `Bearer ${LOCAL_TOKENS[store]}`, 'content-type': 'application/json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  if (!res.ok) throw new Error(`${store} ${method} ${path}: ${res.status} ${await res.text()}`);
  return res.json();
}

export async function setFaults(stack: BenchStack, settings: FaultSettings): Promise<void> {
  await Promise.all(STORES.map((s) => control(stack, s, 'POST', '/_local/faults', settings)));
}

export async function clearUpstreamLogs(stack: BenchStack): Promise<void> {
  await Promise.all(STORES.map((s) => control(stack, s, 'DELETE', '/_local/log')));
}

/**
 * Calls each server answered with a 5xx since its log was cleared: the injected faults. Each log keeps
 * its last 10,000 calls, so after a longer run this is a lower bound.
 */
export async function faultedCalls(stack: BenchStack): Promise<Record<Store, number>> {
  const logs = (await Promise.all(STORES.map((s) => control(stack, s, 'GET', '/_local/log')))) as Array<Array<{ status: number }>>;
  return Object.fromEntries(STORES.map((s, i) => [s, logs[i]!.filter((e) => e.status >= 500).length])) as Record<Store, number>;
}
