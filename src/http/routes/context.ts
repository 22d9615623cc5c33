import { Hono } from 'hono';
import { getContext } from '../../memory/context';
import type { Kind } from '../../memory/model';
import { log } from '../log';
import { ContextRequest, scopeOf } from '../schemas';
import type { AppEnv } from '../types';
import { jsonBody } from '../validate';

/** POST /v1/context: the call an agent makes before every model call. */
export const context = new Hono<AppEnv>().post('/context', async (c) => {
  const body = await jsonBody(c, ContextRequest);
  const deps = c.get('deps');
  const { body: out, degraded } = await getContext(deps, c.get('tenant'), {
    scope: scopeOf(body),
    ...(body.query !== undefined && { query: body.query }),
    max_messages: body.max_messages ?? deps.config.BUFFER_SIZE,
    top_k: body.top_k,
    token_budget: body.token_budget,
    ...(body.kinds && { kinds: body.kinds as Kind[] }),
  });
  for (const d of degraded) log('warn', 'context degraded', { request_id: c.get('requestId'), part: d.part, reason: d.reason });
  return c.json(out);
});
