/** Registry entries: health, this reference, and the MCP endpoint. */
import { Health, JsonRpcRequest, JsonRpcResponse } from '../responses';
import { route } from '../route';

export const serviceRoutes = [
  route({
    operationId: 'health',
    method: 'get',
    path: '/health',
    tag: 'Service',
    summary: 'Health of the Worker and its stores',
    description: 'Checks Redis, Vector, QStash and the LLM in parallel; 503 when any is not ok or the configuration is invalid.',
    auth: 'none',
    responses: {
      200: { description: 'Every store answered.', schema: Health },
      503: { description: 'A store failed (its entry says why) or the configuration is invalid.', schema: Health },
    },
    example: {},
  }),
  route({
    operationId: 'openapi',
    method: 'get',
    path: '/openapi.json',
    tag: 'Service',
    summary: 'This OpenAPI 3.1 document',
    auth: 'none',
    responses: { 200: { description: 'The document.' } },
    example: {},
  }),
  route({
    operationId: 'docs',
    method: 'get',
    path: '/docs',
    tag: 'Service',
    summary: 'Interactive API reference',
    description: 'An HTML page that renders /openapi.json (the viewer script loads from a CDN).',
    auth: 'none',
    responses: { 200: { description: 'The page.', contentType: 'text/html' } },
    example: {},
  }),
  route({
    operationId: 'mcp',
    method: 'post',
    path: '/mcp',
    tag: 'MCP',
    summary: 'MCP server (Streamable HTTP, stateless)',
    description:
      'JSON-RPC 2.0 over POST, answered with JSON: initialize, ping, tools/list, tools/call. The tools are the ' +
      'memory API (get_context, search_memory, add_memory …) for the key’s tenant. GET and DELETE answer 405.',
    auth: 'key',
    body: JsonRpcRequest,
    responses: {
      200: { description: 'The JSON-RPC answer (an array for a batch).', schema: JsonRpcResponse },
      202: { description: 'Only notifications came in: no body.' },
      400: { description: 'Unparseable or invalid JSON-RPC, or an unsupported MCP-Protocol-Version: a JSON-RPC error.', schema: JsonRpcResponse },
    },
    example: { body: { jsonrpc: '2.0', id: 1, method: 'tools/list' } },
  }),
];
