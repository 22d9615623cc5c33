import { it } from 'vitest';
import { call } from '../worker/helpers';
import { mint } from './fuzz-kit';
it('probe', async () => {
  const { key } = await mint({ rate_limit: { requests: 0 } });
  const big = 9e15;
  const tries: Array<[string, string, unknown]> = [
    ['POST', '/v1/memories', { user_id: 'p', infer: false, messages: [{ role: 'user', content: 'x', created_at: big }] }],
    ['POST', '/v1/memories', { user_id: 'p', infer: false, messages: [{ role: 'user', content: 'y' }], expires_at: big }],
    ['POST', '/v1/memories', { user_id: 'p', mode: 'sync', messages: [{ role: 'user', content: 'I like tea', created_at: big }] }],
    ['POST', '/v1/memories', { user_id: 'p', infer: false, messages: [{ role: 'user', content: 'z', created_at: '+275760-09-13T00:00:00.001Z' }] }],
    ['POST', '/v1/memories/search', { user_id: 'p', query: 'x', as_of: big }],
    ['POST', '/v1/context', { user_id: 'p', query: 'x' }],
    ['GET', '/v1/sessions/-/messages?user_id=p', undefined],
  ];
  for (const [m, p, b] of tries) {
    const res = await call(m, p, { key, ...(b !== undefined && { body: b }) });
    console.log('PROBE', m, p, res.status, JSON.stringify(res.json).slice(0, 200));
  }
});
