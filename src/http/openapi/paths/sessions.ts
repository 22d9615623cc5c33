/** Registry entries: /v1/sessions (the working-memory buffer). */
import { ScopeId, SessionQuery } from '../../schemas';
import { SessionCleared, SessionMessages } from '../responses';
import { route } from '../route';

const runId = { run_id: ScopeId };

export const sessionRoutes = [
  route({
    operationId: 'getSessionMessages',
    method: 'get',
    path: '/v1/sessions/:run_id/messages',
    tag: 'Sessions',
    summary: 'Recent turns of a session',
    description: 'Oldest first; at most `limit` (default: the buffer size). Pass the user_id or agent_id the turns were sent with.',
    auth: 'key',
    params: runId,
    query: SessionQuery,
    responses: { 200: { description: 'The buffered turns.', schema: SessionMessages } },
    example: { params: { run_id: 'session-1' }, query: { user_id: 'alice' } },
  }),
  route({
    operationId: 'clearSessionMessages',
    method: 'delete',
    path: '/v1/sessions/:run_id/messages',
    tag: 'Sessions',
    summary: 'Clear a session buffer',
    description: 'Empties the working-memory buffer; long-term memories are kept.',
    auth: 'key',
    params: runId,
    query: SessionQuery,
    responses: { 200: { description: 'Cleared.', schema: SessionCleared } },
    example: { params: { run_id: 'session-1' }, query: { user_id: 'alice' } },
  }),
];
