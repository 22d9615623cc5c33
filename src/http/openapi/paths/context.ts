/** Registry entry: POST /v1/context, the hot path. */
import { ContextRequest } from '../../schemas';
import { ContextAnswer } from '../responses';
import { route } from '../route';

export const contextRoutes = [
  route({
    operationId: 'getContext',
    method: 'post',
    path: '/v1/context',
    tag: 'Context',
    summary: 'What the model should know now',
    description:
      'Call before every model call. One parallel wave: the session’s recent turns and the core memory blocks ' +
      '(Redis) and the memories relevant to `query` (Vector), fitted to `token_budget` (blocks first, then ' +
      'memories, then the newest turns) and rendered as `prompt`, a ready system-prompt section. Without ' +
      '`query` the last user turn is used (one more round trip). When one side fails the answer still comes, ' +
      'naming the missing parts in `degraded`. At least one scope id is required.',
    auth: 'key',
    body: ContextRequest,
    responses: { 200: { description: 'Turns, memories, blocks and the rendered prompt, with token usage.', schema: ContextAnswer } },
    example: { body: { user_id: 'alice', run_id: 'session-1', query: 'suggest a snack', token_budget: 1500 } },
  }),
];
