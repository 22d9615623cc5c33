/**
 * Scripted mode: tests and benchmarks queue exact answers for the next chat calls.
 *
 *   POST /_local/llm/script  {responses: [{content?, status?, error?, delay_ms?, usage?}], mode?: "append" | "replace"}
 *     content   string, or an object/array sent JSON-stringified (default "")
 *     status    HTTP status; >= 400 answers with OpenAI's error shape (default 200, or 500 when `error` is set)
 *     error     the error message for an error status
 *     delay_ms  wait before answering (a slow model; real time, not the server clock)
 *     usage     overrides the estimated {prompt_tokens, completion_tokens, total_tokens}
 * Scripted content is returned exactly, never checked against the request's schema: tests use it to
 * feed the client malformed or off-schema answers on purpose.
 */
import { InvalidRequest } from './errors.js';
import type { ScriptedResponse, Usage } from './state.js';

function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

export interface ScriptRequest {
  responses: ScriptedResponse[];
  mode: 'append' | 'replace';
}

export function parseScript(body: unknown): ScriptRequest {
  if (!isRecord(body) || !Array.isArray(body.responses)) {
    throw new InvalidRequest('local llm script: expected {responses: [...], mode?: "append" | "replace"}', 'responses');
  }
  const mode = body.mode ?? 'append';
  if (mode !== 'append' && mode !== 'replace') throw new InvalidRequest(`local llm script: unknown mode ${JSON.stringify(mode)}`, 'mode');
  return { responses: body.responses.map(parseResponse), mode };
}

function parseResponse(raw: unknown, i: number): ScriptedResponse {
  const where = `responses[${i}]`;
  if (!isRecord(raw)) throw new InvalidRequest(`local llm script: ${where} must be an object`, where);
  const { content, status, error, delay_ms, usage } = raw;
  if (status !== undefined && !(Number.isInteger(status) && Number(status) >= 100 && Number(status) <= 599)) {
    throw new InvalidRequest(`local llm script: ${where}.status must be an HTTP status`, `${where}.status`);
  }
  if (error !== undefined && typeof error !== 'string') {
    throw new InvalidRequest(`local llm script: ${where}.error must be a string`, `${where}.error`);
  }
  if (delay_ms !== undefined && !(typeof delay_ms === 'number' && delay_ms >= 0)) {
    throw new InvalidRequest(`local llm script: ${where}.delay_ms must be a number >= 0`, `${where}.delay_ms`);
  }
  if (usage !== undefined && !isRecord(usage)) {
    throw new InvalidRequest(`local llm script: ${where}.usage must be an object`, `${where}.usage`);
  }
  return {
    content: content === undefined ? '' : typeof content === 'string' ? content : JSON.stringify(content),
    status: typeof status === 'number' ? status : typeof error === 'string' ? 500 : 200,
    error: typeof error === 'string' ? error : null,
    delay_ms: typeof delay_ms === 'number' ? delay_ms : 0,
    usage: usage ? pickUsage(usage) : null,
  };
}

function pickUsage(raw: Record<string, unknown>): Partial<Usage> {
  const out: Partial<Usage> = {};
  for (const key of ['prompt_tokens', 'completion_tokens', 'total_tokens'] as const) {
    if (typeof raw[key] === 'number') out[key] = raw[key];
  }
  return out;
}
