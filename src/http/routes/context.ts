import { Hono } from 'hono';
import type { z } from 'zod';
import type { Deps } from '../../deps';
import { getContext } from '../../memory/context';
import type { Kind } from '../../memory/model';
import { log } from '../log';
import { ContextRequest, scopeOf } from '../schemas';
import type { AppEnv } from '../types';
import { jsonBody } from '../validate';

/** A validated context request → the context answer; degraded parts are logged. Shared with the MCP tool. */
export async function answerContext(deps: Deps, tenant: string, requestId: string, body: z.output<typeof ContextRequest>) {
  const { body: out, degraded } = await getContext(deps, tenant, {
    scope: scopeOf(body),
    ...(body.query !== undefined && { query: body.query }),
    max_messages: body.max_messages ?? deps.config.BUFFER_SIZE,
    top_k: body.top_k,
    token_budget: body.token_budget,
    ...(body.kinds && { kinds: body.kinds as Kind[] }),
    graph: body.graph,
  });
  for (const d of degraded) log('warn', 'context degraded', { request_id: requestId, part: d.part, reason: d.reason });
  return out;
}

/** POST /v1/context: the call an agent makes before every model call. */
export const context = new Hono<AppEnv>().post('/context', async (c) =>
  c.json(await answerContext(c.get('deps'), c.get('tenant'), c.get('requestId'), await jsonBody(c, ContextRequest))),
);
