import { Hono } from 'hono';
import { loadConfig } from '../../config';
import { buildDeps, type StoreName } from '../../deps';
import type { AppEnv } from '../types';

export const VERSION = '0.1.0';
const PROBE_TIMEOUT_MS = 2000;

async function probe(call: () => Promise<unknown>): Promise<string> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${PROBE_TIMEOUT_MS} ms`)), PROBE_TIMEOUT_MS);
  });
  try {
    await Promise.race([call(), timeout]);
    return 'ok';
  } catch (err) {
    return (err instanceof Error ? err.message : String(err)).slice(0, 160);
  } finally {
    clearTimeout(timer);
  }
}

/** GET /health (no auth): a real, parallel check of each store; 503 when any is not ok. */
export const health = new Hono<AppEnv>().get('/health', async (c) => {
  let deps;
  try {
    deps = c.get('deps') ?? buildDeps(loadConfig(c.env ?? {}));
  } catch (err) {
    return c.json({ status: 'misconfigured', version: VERSION, error: err instanceof Error ? err.message : String(err) }, 503);
  }
  const names = Object.keys(deps.probes) as StoreName[];
  const results = await Promise.all(names.map((n) => probe(deps.probes[n])));
  const stores = Object.fromEntries(names.map((n, i) => [n, results[i]])) as Record<StoreName, string>;
  const ok = results.every((r) => r === 'ok');
  return c.json({ status: ok ? 'ok' : 'degraded', version: VERSION, stores }, ok ? 200 : 503);
});
