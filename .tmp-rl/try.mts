import { Redis } from '@upstash/redis';
import { Ratelimit } from '@upstash/ratelimit';
import { startRedisRest } from '/work/main/scripts/local/redis-rest.ts';
for (const redisUrl of [undefined, 'redis://127.0.0.1:6379']) {
  const server = await startRedisRest({ token: 't', redisUrl });
  const redis = new Redis({ url: server.url, token: 't', enableTelemetry: false });
  const rl = new Ratelimit({ redis, limiter: Ratelimit.slidingWindow(3, '60 s'), analytics: false, prefix: 'tmp-rl-try:' + Math.random() });
  try {
    for (let i = 0; i < 5; i++) console.log(redisUrl ?? 'memory', JSON.stringify(await rl.limit('x')));
  } catch (e) { console.log('ERR', redisUrl ?? 'memory', String(e)); }
  await server.close();
}
process.exit(0);
