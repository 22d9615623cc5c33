/**
 * The MCP server's JSON-RPC 2.0 side, stateless: every POST carries whole messages and gets whole
 * answers (JSON, never SSE — Streamable HTTP allows either), so no session id and nothing kept
 * between requests. Methods: initialize, ping, tools/list, tools/call; notifications are accepted
 * and ignored. No Hono here: the route hands in the body text and the caller's tenant.
 *
 * Errors come in two kinds. Protocol errors are JSON-RPC errors (parse -32700, invalid request
 * -32600, unknown method -32601, bad params or unknown tool -32602). A tool that runs and fails — bad
 * arguments included, so the model can correct itself — answers a result with `isError: true` whose
 * text is the API's error envelope.
 */
import { AppError, invalid } from '../errors';
import { errorBody } from '../http/envelope';
import { log } from '../http/log';
import { check } from '../http/validate';
import { findTool, listTools, type McpCaller } from './tools';

/** Newest first. All three speak Streamable HTTP and differ in nothing this server uses. */
export const PROTOCOL_VERSIONS = ['2025-11-25', '2025-06-18', '2025-03-26'] as const;
export const SERVER_INFO = { name: 'engram', title: 'Engram memory', version: '0.1.0' };

const INSTRUCTIONS =
  'Engram is long-term memory for this conversation. At the start of a turn call get_context (recent turns, relevant ' +
  'memories, core blocks and a ready prompt section). Call search_memory to recall something specific, add_memory to ' +
  'save what the user said, and update_block to change a core memory block. Pass the same user_id on every call.';

type Id = string | number;
type Message = { jsonrpc: '2.0'; id: Id | null } & ({ result: unknown } | { error: { code: number; message: string } });

/** What the route sends back: `body` undefined means 202 with no body (only notifications came in). */
export interface McpAnswer {
  status: 200 | 202 | 400;
  body?: Message | Message[];
}

export const RPC = { PARSE: -32700, INVALID_REQUEST: -32600, NO_METHOD: -32601, BAD_PARAMS: -32602 } as const;

class RpcError extends Error {
  constructor(readonly code: number, message: string) {
    super(message);
  }
}

const rpcError = (id: Id | null, code: number, message: string): Message => ({ jsonrpc: '2.0', id, error: { code, message } });
const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * One POST body. `headerVersion` is the MCP-Protocol-Version header (absent on the initialize request
 * and from 2025-03-26 clients); an unsupported one is refused with 400, as the transport spec says.
 */
export async function handleMcp(text: string, caller: McpCaller, headerVersion?: string): Promise<McpAnswer> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return { status: 400, body: rpcError(null, RPC.PARSE, 'Parse error: the body must be one JSON-RPC message (or a batch) as JSON.') };
  }
  if (headerVersion !== undefined && !(PROTOCOL_VERSIONS as readonly string[]).includes(headerVersion)) {
    return { status: 400, body: rpcError(null, RPC.INVALID_REQUEST, `Unsupported MCP-Protocol-Version ${headerVersion}; supported: ${PROTOCOL_VERSIONS.join(', ')}.`) };
  }
  // Batches are part of 2025-03-26 only; answering them costs nothing here.
  if (Array.isArray(parsed)) {
    if (parsed.length === 0) return { status: 400, body: rpcError(null, RPC.INVALID_REQUEST, 'Invalid request: empty batch.') };
    const answers = (await Promise.all(parsed.map((m) => handleMessage(m, caller)))).filter((a): a is Message => a !== null);
    return answers.length > 0 ? { status: 200, body: answers } : { status: 202 };
  }
  const answer = await handleMessage(parsed, caller);
  if (answer === null) return { status: 202 };
  const unusable = 'error' in answer && answer.error.code === RPC.INVALID_REQUEST;
  return { status: unusable ? 400 : 200, body: answer };
}

/** Answers one message; null for notifications and for responses the client sends us. */
async function handleMessage(msg: unknown, caller: McpCaller): Promise<Message | null> {
  if (!isRecord(msg) || msg.jsonrpc !== '2.0') return rpcError(null, RPC.INVALID_REQUEST, 'Invalid request: not a JSON-RPC 2.0 message.');
  const hasId = 'id' in msg;
  if (!('method' in msg)) return hasId && ('result' in msg || 'error' in msg) ? null : rpcError(null, RPC.INVALID_REQUEST, 'Invalid request: no method.');
  if (typeof msg.method !== 'string') return rpcError(null, RPC.INVALID_REQUEST, 'Invalid request: method must be a string.');
  if (!hasId) return null; // notifications/initialized, notifications/cancelled, …: nothing to do when stateless
  const id = msg.id;
  if (typeof id !== 'string' && typeof id !== 'number') return rpcError(null, RPC.INVALID_REQUEST, 'Invalid request: id must be a string or a number.');
  const params = msg.params ?? {};
  if (!isRecord(params)) return rpcError(id, RPC.BAD_PARAMS, 'Invalid params: params must be an object.');
  try {
    return { jsonrpc: '2.0', id, result: await dispatch(msg.method, params, caller) };
  } catch (err) {
    if (err instanceof RpcError) return rpcError(id, err.code, err.message);
    throw err;
  }
}

async function dispatch(method: string, params: Record<string, unknown>, caller: McpCaller): Promise<unknown> {
  switch (method) {
    case 'initialize':
      return initialize(params);
    case 'ping':
      return {};
    case 'tools/list':
      return { tools: listTools() };
    case 'tools/call':
      return callTool(params, caller);
    default:
      throw new RpcError(RPC.NO_METHOD, `Method not found: ${method}. This server offers initialize, ping, tools/list and tools/call.`);
  }
}

/** Version negotiation: the client's version when we speak it, else our newest (the client decides). */
function initialize(params: Record<string, unknown>) {
  if (typeof params.protocolVersion !== 'string') throw new RpcError(RPC.BAD_PARAMS, 'Invalid params: initialize needs protocolVersion.');
  const supported = (PROTOCOL_VERSIONS as readonly string[]).includes(params.protocolVersion);
  return {
    protocolVersion: supported ? params.protocolVersion : PROTOCOL_VERSIONS[0],
    capabilities: { tools: { listChanged: false } },
    serverInfo: SERVER_INFO,
    instructions: INSTRUCTIONS,
  };
}

async function callTool(params: Record<string, unknown>, caller: McpCaller) {
  if (typeof params.name !== 'string') throw new RpcError(RPC.BAD_PARAMS, 'Invalid params: tools/call needs a tool name.');
  const tool = findTool(params.name);
  if (!tool) throw new RpcError(RPC.BAD_PARAMS, `Unknown tool: ${params.name}.`);
  try {
    if (params.arguments !== undefined && !isRecord(params.arguments)) throw invalid('Invalid arguments: arguments must be an object.');
    const args = check(tool.input, params.arguments ?? {}, 'arguments');
    const value = await tool.run(caller, args);
    // The text block is for clients that predate structuredContent (2025-06-18); both carry the same JSON.
    return { content: [{ type: 'text', text: JSON.stringify(value) }], structuredContent: value };
  } catch (err) {
    const known = err instanceof AppError;
    if (!known || err.code === 'INTERNAL' || err.code === 'UPSTREAM_UNAVAILABLE') {
      log(known ? 'warn' : 'error', 'mcp tool failed', { request_id: caller.requestId, tool: tool.name, error: err instanceof Error ? err.message : String(err) });
    }
    const envelope = known
      ? errorBody(err.code, err.message, caller.requestId, err.details)
      : errorBody('INTERNAL', 'Internal error; the request id identifies it in the logs.', caller.requestId);
    return { content: [{ type: 'text', text: JSON.stringify(envelope) }], isError: true };
  }
}
