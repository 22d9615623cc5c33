import { Hono } from 'hono';
import { handleMcp } from '../../mcp/protocol';
import { apiKeyAuth } from '../middleware/auth';
import type { AppEnv } from '../types';
import { rawBody } from '../validate';

/**
 * /mcp: the MCP server over Streamable HTTP, stateless. POST carries JSON-RPC messages and is answered
 * with JSON (or 202 when only notifications came in). There is no server-to-client stream and no
 * session to end, so GET and DELETE get 405, which the transport spec allows. The API key works as on
 * /v1 and picks the tenant; a browser page cannot use it without holding the key, so Origin needs no
 * separate check.
 */
export const mcp = new Hono<AppEnv>()
  .use('*', apiKeyAuth())
  .post('/', async (c) => {
    const answer = await handleMcp(await rawBody(c), { deps: c.get('deps'), tenant: c.get('tenant'), requestId: c.get('requestId') }, c.req.header('mcp-protocol-version'));
    return answer.body === undefined ? c.body(null, 202) : c.json(answer.body, answer.status);
  })
  .all('/', (c) =>
    c.json({ jsonrpc: '2.0', id: null, error: { code: -32000, message: 'Method not allowed: this MCP server is stateless and takes JSON-RPC over POST only.' } }, 405, { allow: 'POST' }),
  );
