/**
 * `npm start`: the whole local stack on one machine, no accounts, no network.
 *
 * Starts the local Redis REST, Vector REST, QStash (delivering by itself) and LLM servers on fixed
 * loopback ports, writes .dev.vars with every variable the Worker reads, runs the real Worker under
 * `wrangler dev`, waits for /health, creates the QStash schedules of the recurring jobs (expiry sweep,
 * compaction) and prints how to use it. Ctrl-C stops everything.
 *
 * Ports: ENGRAM_PORT (8787), LOCAL_REDIS_PORT (8701), LOCAL_VECTOR_PORT (8702), LOCAL_QSTASH_PORT (8703),
 * LOCAL_LLM_PORT (8704). REDIS_URL=redis://… backs the Redis REST server with a real Redis.
 * Vector data is snapshotted to .local-data/ so memories survive a restart.
 */
import { join } from 'node:path';
import { ROOT, startEngram } from './engram';

const port = (name: string, fallback: number) => Number(process.env[name] ?? fallback);

/**
 * The recurring jobs (TTL sweep, compaction) as local QStash schedules, the way a deploy creates them:
 * POST /v1/admin/schedules (idempotent: fixed ids, overwritten). A failure is reported, not fatal.
 */
async function createSchedules(origin: string, admin: string): Promise<string> {
  try {
    const res = await fetch(`${origin}/v1/admin/schedules`, { method: 'POST', headers: { authorization: `Bearer ${admin}` } });
    const body = (await res.json()) as { schedules?: Array<{ id: string; cron: string }> };
    if (!res.ok || !body.schedules) return `not created (${res.status} ${JSON.stringify(body)})`;
    return body.schedules.map((s) => `${s.id} "${s.cron}"`).join(' · ');
  } catch (err) {
    return `not created (${err instanceof Error ? err.message : String(err)})`;
  }
}

async function main() {
  const engram = await startEngram({
    workerPort: port('ENGRAM_PORT', 8787),
    ports: { redis: port('LOCAL_REDIS_PORT', 8701), vector: port('LOCAL_VECTOR_PORT', 8702), qstash: port('LOCAL_QSTASH_PORT', 8703), llm: port('LOCAL_LLM_PORT', 8704) },
    delivery: 'auto',
    redisUrl: process.env.REDIS_URL,
    dataDir: join(ROOT, '.local-data'),
    qstashTimeScale: 100,
    varsVia: 'dev-vars',
    output: 'inherit',
  });
  let stopping = false;
  const stop = async (code: number) => {
    if (stopping) return;
    stopping = true;
    await engram.stop();
    process.exit(code);
  };
  process.on('SIGINT', () => void stop(0));
  process.on('SIGTERM', () => void stop(0));
  engram.wrangler.on('exit', (code) => void stop(code ?? 1));

  const health = await engram.ready;
  const { origin, stack } = engram;
  const admin = engram.vars.ADMIN_TOKEN;
  const schedules = await createSchedules(origin, admin);
  console.log(`
Engram is running at ${origin}   (Ctrl-C stops everything)
  health:      ${JSON.stringify(health)}
  schedules:   ${schedules}
  local stack: Redis REST ${stack.servers.redis.url} · Vector ${stack.servers.vector.url} · QStash ${stack.servers.qstash.url} · LLM ${stack.servers.llm.url}
               (the LLM is a rule-based offline stand-in, not a language model; set OPENAI_* in .dev.vars for a real one)
  admin token: ${admin}

  mint an API key:
    curl -s -X POST ${origin}/v1/admin/tenants/demo/keys -H 'authorization: Bearer ${admin}'
  then remember something:
    curl -s ${origin}/v1/memories -H "authorization: Bearer $KEY" -H 'content-type: application/json' \\
      -d '{"user_id":"alice","messages":[{"role":"user","content":"I am allergic to peanuts"}]}'
  or watch a short story: npm run demo
`);
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
