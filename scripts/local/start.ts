/**
 * `npm start`: the whole local stack on one machine, no accounts, no network.
 *
 * Starts the local Redis REST, Vector REST, QStash (delivering by itself) and LLM servers on fixed
 * loopback ports, writes .dev.vars with every variable the Worker reads, runs the real Worker under
 * `wrangler dev`, waits for /health and prints how to use it. Ctrl-C stops everything.
 *
 * Ports: ENGRAM_PORT (8787), LOCAL_REDIS_PORT (8701), LOCAL_VECTOR_PORT (8702), LOCAL_QSTASH_PORT (8703),
 * LOCAL_LLM_PORT (8704). REDIS_URL=redis://… backs the Redis REST server with a real Redis.
 * Vector data is snapshotted to .local-data/ so memories survive a restart.
 */
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startLocalStack } from './stack';

const port = (name: string, fallback: number) => Number(process.env[name] ?? fallback);
const workerPort = port('ENGRAM_PORT', 8787);
const origin = `http://127.0.0.1:${workerPort}`;
const root = join(import.meta.dirname, '..', '..');

/** Keeps wrangler off the network: no metrics, no request.cf lookup, no update check. */
const QUIET_WRANGLER = { CI: 'true', WRANGLER_SEND_METRICS: 'false', WRANGLER_HIDE_BANNER: 'true', CLOUDFLARE_CF_FETCH_ENABLED: 'false' };

async function waitForHealth(deadlineMs: number): Promise<unknown> {
  const until = Date.now() + deadlineMs;
  let last: unknown = 'no answer';
  while (Date.now() < until) {
    try {
      const res = await fetch(`${origin}/health`);
      last = await res.json();
      if (res.ok) return last;
    } catch (err) {
      last = err instanceof Error ? err.message : String(err);
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`the Worker did not become healthy: ${JSON.stringify(last)}`);
}

async function main() {
  const stack = await startLocalStack({
    ports: { redis: port('LOCAL_REDIS_PORT', 8701), vector: port('LOCAL_VECTOR_PORT', 8702), qstash: port('LOCAL_QSTASH_PORT', 8703), llm: port('LOCAL_LLM_PORT', 8704) },
    delivery: 'auto',
    publicBaseUrl: origin,
    redisUrl: process.env.REDIS_URL,
    dataDir: join(root, '.local-data'),
    qstashTimeScale: 100,
  });
  writeFileSync(join(root, '.dev.vars'), Object.entries(stack.vars).map(([k, v]) => `${k}=${v}`).join('\n') + '\n');

  // Its own process group, so stopping reaches wrangler's workerd children too (a plain kill of the
  // wrangler process leaves workerd holding the port).
  const wrangler = spawn(join(root, 'node_modules', '.bin', 'wrangler'), ['dev', '--ip', '127.0.0.1', '--port', String(workerPort), '--log-level', 'warn'], {
    cwd: root,
    env: { ...process.env, ...QUIET_WRANGLER },
    stdio: ['ignore', 'inherit', 'inherit'],
    detached: true,
  });
  let stopping = false;
  const stop = async (code: number) => {
    if (stopping) return;
    stopping = true;
    try {
      if (wrangler.pid) process.kill(-wrangler.pid, 'SIGTERM');
    } catch {
      // already gone
    }
    await stack.close();
    process.exit(code);
  };
  process.on('SIGINT', () => void stop(0));
  process.on('SIGTERM', () => void stop(0));
  wrangler.on('exit', (code) => void stop(code ?? 1));

  const health = await waitForHealth(60_000);
  const admin = stack.vars.ADMIN_TOKEN;
  console.log(`
Engram is running at ${origin}   (Ctrl-C stops everything)
  health:      ${JSON.stringify(health)}
  local stack: Redis REST ${stack.servers.redis.url} · Vector ${stack.servers.vector.url} · QStash ${stack.servers.qstash.url} · LLM ${stack.servers.llm.url}
               (the LLM is a rule-based offline stand-in, not a language model; set OPENAI_* in .dev.vars for a real one)
  admin token: ${admin}

  mint an API key:
    curl -s -X POST ${origin}/v1/admin/tenants/demo/keys -H 'authorization: Bearer ${admin}'
  then remember something:
    curl -s ${origin}/v1/memories -H "authorization: Bearer $KEY" -H 'content-type: application/json' \\
      -d '{"user_id":"alice","messages":[{"role":"user","content":"I am allergic to peanuts"}]}'
`);
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
