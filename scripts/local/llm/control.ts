/**
 * The LLM's own control routes, behind the same bearer token as everything else (server.ts adds the
 * shared /_local/state|reset|clock|faults|log):
 *   POST   /_local/llm/script    queue scripted chat answers (script.ts) → {scripted: queue length}
 *   GET    /_local/llm/script    the queue
 *   DELETE /_local/llm/script    empty the queue
 *   POST   /_local/llm/latency   {chat_ms?, embeddings_ms?} added to every call (omitted fields keep their value)
 *   GET    /_local/llm/latency   the latency
 *   GET    /_local/llm/calls     [{endpoint, body, time, status, mode}] (?endpoint=chat|embeddings filters)
 *   DELETE /_local/llm/calls     clear the call log
 */
import type { LocalRequest, LocalResponse } from '../server.js';
import { InvalidRequest, badRequest } from './errors.js';
import { parseScript } from './script.js';
import type { LlmState } from './state.js';

function jsonBody(req: LocalRequest): unknown {
  return req.body.length > 0 ? req.json() : {};
}

export function llmControl(req: LocalRequest, state: LlmState): LocalResponse | undefined {
  try {
    return route(req, state);
  } catch (err) {
    if (err instanceof InvalidRequest) return err.toResponse();
    if (err instanceof SyntaxError) return badRequest(`local llm: the body is not JSON: ${err.message}`);
    throw err;
  }
}

function route(req: LocalRequest, state: LlmState): LocalResponse | undefined {
  switch (`${req.method} ${req.path}`) {
    case 'POST /_local/llm/script': {
      const script = parseScript(jsonBody(req));
      if (script.mode === 'replace') state.queue.length = 0;
      state.queue.push(...script.responses);
      return { status: 200, body: { scripted: state.queue.length } };
    }
    case 'GET /_local/llm/script':
      return { status: 200, body: state.queue };
    case 'DELETE /_local/llm/script':
      state.queue.length = 0;
      return { status: 200, body: { scripted: 0 } };
    case 'POST /_local/llm/latency':
      return { status: 200, body: setLatency(state, jsonBody(req)) };
    case 'GET /_local/llm/latency':
      return { status: 200, body: state.latency };
    case 'GET /_local/llm/calls': {
      const only = req.query.get('endpoint');
      const calls = only ? state.calls.filter((c) => c.endpoint === `/v1/${only === 'chat' ? 'chat/completions' : only}`) : state.calls;
      return { status: 200, body: calls };
    }
    case 'DELETE /_local/llm/calls':
      state.calls.length = 0;
      state.callCount = 0;
      return { status: 200, body: { ok: true } };
    default:
      return undefined;
  }
}

function setLatency(state: LlmState, body: unknown): LlmState['latency'] {
  const b = (body ?? {}) as Record<string, unknown>;
  for (const key of ['chat_ms', 'embeddings_ms'] as const) {
    const v = b[key];
    if (v === undefined) continue;
    if (typeof v !== 'number' || v < 0) throw new InvalidRequest(`local llm latency: ${key} must be a number >= 0`, key);
    state.latency[key] = v;
  }
  return state.latency;
}
