import { Hono } from 'hono';
import { ScopeId, SessionQuery } from '../schemas';
import type { AppEnv } from '../types';
import { check, queryParams } from '../validate';

/** The working-memory buffer of one session (`run_id`), under the caller's user or agent. */
export const sessions = new Hono<AppEnv>()
  .get('/sessions/:run_id/messages', async (c) => {
    const runId = check(ScopeId, c.req.param('run_id'), 'run_id');
    const q = queryParams(c, SessionQuery);
    const deps = c.get('deps');
    const scope = { ...(q.user_id && { user_id: q.user_id }), ...(q.agent_id && { agent_id: q.agent_id }), run_id: runId };
    const turns = await deps.turns.recent(c.get('tenant'), scope, q.limit ?? deps.config.BUFFER_SIZE);
    return c.json({
      run_id: runId,
      messages: turns.map((t) => ({ id: t.id, role: t.role, content: t.content, ...(t.name !== undefined && { name: t.name }), created_at: new Date(t.created_at).toISOString() })),
    });
  })
  .delete('/sessions/:run_id/messages', async (c) => {
    const runId = check(ScopeId, c.req.param('run_id'), 'run_id');
    const q = queryParams(c, SessionQuery);
    await c.get('deps').turns.clearSession(c.get('tenant'), { ...(q.user_id && { user_id: q.user_id }), ...(q.agent_id && { agent_id: q.agent_id }), run_id: runId });
    return c.json({ run_id: runId, cleared: true });
  });
