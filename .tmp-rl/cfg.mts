import { loadConfig } from '../src/config.ts';
const base = { UPSTASH_REDIS_REST_URL: 'http://a', UPSTASH_REDIS_REST_TOKEN: 'x', UPSTASH_VECTOR_REST_URL: 'http://b', UPSTASH_VECTOR_REST_TOKEN: 'y', QSTASH_TOKEN: 'q', QSTASH_CURRENT_SIGNING_KEY: 'c', QSTASH_NEXT_SIGNING_KEY: 'n', OPENAI_API_KEY: 'o', PUBLIC_BASE_URL: 'http://c', ADMIN_TOKEN: '0123456789abcdef' };
for (const extra of [{}, { RATE_LIMIT_WINDOW: '10 s', RATE_LIMIT_REQUESTS: '0' }, { RATE_LIMIT_WINDOW: '1h' }, { RATE_LIMIT_WINDOW: 'soon' }, { RATE_LIMIT_WINDOW: '10 ms' }, { RATE_LIMIT_REQUESTS: '-1' }]) {
  try { const c = loadConfig({ ...base, ...extra }); console.log(c.RATE_LIMIT_REQUESTS, c.RATE_LIMIT_WINDOW); } catch (e) { console.log(String(e).slice(0, 200)); }
}
