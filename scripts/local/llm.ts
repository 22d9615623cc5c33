/**
 * Local LLM: an OpenAI-compatible stand-in that the official `openai@6` SDK (with `baseURL`) talks to
 * unchanged. It is the offline stand-in behind `npm start`, the tests and the benchmarks — a rule-based
 * responder, NOT a language model, and its answers say so (`model: "engram-local-rules"`,
 * `system_fingerprint: "local-rule-based-stand-in"`).
 *
 * Supported endpoints (Bearer token = `apiKey`):
 *   POST /v1/chat/completions   non-streaming; response_format text | json_object | json_schema
 *                               (answers validate against the schema); scripted answers first, else rules
 *   POST /v1/embeddings         input string | string[]; dimensions; encoding_format float | base64
 *   GET  /v1/models, GET /v1/models/{id}
 * Anything else → 404 in OpenAI's error shape, naming the stand-in. `stream: true`, token-id inputs and
 * non-text content parts → 400 "not supported by the local LLM stand-in".
 *
 * Modes: when the script queue (llm/control.ts, llm/script.ts) holds answers, the next chat calls
 * return them in order; when it is empty, rule mode answers (llm/rule-answer.ts): Engram's extraction
 * call (json_schema `engram_extraction`) gets the rule table's operations (llm/rules.ts), other calls a
 * minimal valid answer or an echo. The shared base (server.ts) adds auth, clock, faults, request log and
 * /_local/state|reset|clock|faults|log; /_local/state is {mode, calls, scripted}. Reset drops the queue
 * and the call log; like the faults, the added latency is kept.
 */
import {
  createClock,
  startLocalServer,
  type Faults,
  type LocalClock,
  type LocalRequest,
  type LocalResponse,
  type LocalServer,
} from './server.js';
import { handleChat } from './llm/chat.js';
import { llmControl } from './llm/control.js';
import { handleEmbeddings } from './llm/embeddings.js';
import { openAiError } from './llm/errors.js';
import { RULES_MODEL } from './llm/rule-answer.js';
import { createState, recordCall, sleep, type CallRecord, type LlmState } from './llm/state.js';

export interface LlmOptions {
  apiKey: string;
  port?: number;
  host?: string;
  clock?: LocalClock;
  faults?: Faults;
  /** Vector size when a request names no `dimensions` (384, the local Vector index's default). */
  embeddingDimension?: number;
}

export const EMBEDDING_MODEL = 'engram-local-embedding';
const MODELS = [RULES_MODEL, EMBEDDING_MODEL];

export async function startLlm(opts: LlmOptions): Promise<LocalServer> {
  const clock = opts.clock ?? createClock();
  const state = createState();
  const dimension = opts.embeddingDimension ?? 384;
  return startLocalServer({
    name: 'local-llm',
    token: opts.apiKey,
    port: opts.port,
    host: opts.host,
    clock,
    faults: opts.faults,
    handle: (req) => withRequestId(state, handle(req, state, clock, dimension)),
    faultResponse: () => openAiError(503, 'The server is overloaded or not ready yet (local LLM stand-in: injected fault).'),
    unauthorized: () =>
      openAiError(401, 'Incorrect API key provided', { type: 'invalid_request_error', code: 'invalid_api_key' }),
    state: () => ({ mode: state.queue.length > 0 ? 'scripted' : 'rules', calls: state.callCount, scripted: state.queue.length }),
    reset: () => {
      state.queue.length = 0;
      state.calls.length = 0;
      state.callCount = 0;
    },
    control: (req) => llmControl(req, state),
  });
}

const CALL_ENDPOINTS: ReadonlyArray<CallRecord['endpoint']> = ['/v1/chat/completions', '/v1/embeddings'];

async function handle(req: LocalRequest, state: LlmState, clock: LocalClock, dimension: number): Promise<LocalResponse> {
  const route = `${req.method} ${req.path}`;
  const endpoint = CALL_ENDPOINTS.find((e) => route === `POST ${e}`);
  if (endpoint) return answerCall(req, endpoint, state, clock, dimension);
  if (route === 'GET /v1/models') {
    return { status: 200, body: { object: 'list', data: MODELS.map((id) => model(id, clock)) } };
  }
  const modelId = req.method === 'GET' ? /^\/v1\/models\/(.+)$/.exec(req.path)?.[1] : undefined;
  if (modelId !== undefined) {
    const id = decodeURIComponent(modelId);
    if (MODELS.includes(id)) return { status: 200, body: model(id, clock) };
    const message = `The model '${id}' does not exist (the local LLM stand-in lists ${MODELS.join(', ')}; chat accepts any name).`;
    return openAiError(404, message, { code: 'model_not_found', param: 'model' });
  }
  return openAiError(404, `Invalid URL (${route}): not supported by the local LLM stand-in.`);
}

/** A chat or embeddings call: answered, then recorded in the call log whatever its outcome. */
async function answerCall(
  req: LocalRequest,
  endpoint: CallRecord['endpoint'],
  state: LlmState,
  clock: LocalClock,
  dimension: number,
): Promise<LocalResponse> {
  const time = clock.now();
  const body = parseBody(req);
  let outcome: { response: LocalResponse; mode: CallRecord['mode'] };
  if (body === undefined) {
    const message = 'We could not parse the JSON body of your request. The OpenAI API expects a JSON payload.';
    outcome = { response: openAiError(400, message), mode: null };
  } else if (endpoint === '/v1/embeddings') {
    await sleep(state.latency.embeddings_ms);
    outcome = { response: handleEmbeddings(body.value, dimension), mode: null };
  } else {
    outcome = await handleChat(body.value, state, clock);
  }
  recordCall(state, { endpoint, body: body?.value ?? req.text(), time, status: outcome.response.status, mode: outcome.mode });
  return outcome.response;
}

function parseBody(req: LocalRequest): { value: unknown } | undefined {
  try {
    return { value: req.json() };
  } catch {
    return undefined;
  }
}

function model(id: string, clock: LocalClock) {
  return { id, object: 'model', created: Math.floor(clock.now() / 1000), owned_by: 'engram-local' };
}

/** Every answer carries an `x-request-id`, which the SDK exposes as `_request_id`; errors inside become OpenAI-shaped 500s. */
async function withRequestId(state: LlmState, pending: Promise<LocalResponse>): Promise<LocalResponse> {
  let res: LocalResponse;
  try {
    res = await pending;
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    res = openAiError(500, `local LLM stand-in internal error: ${message}`);
  }
  return { ...res, headers: { 'x-request-id': `req_local_${state.nextId++}`, ...(res.headers ?? {}) } };
}
