/**
 * `POST /v1/chat/completions`: the next scripted response if one is queued, else rule mode; answered
 * in OpenAI's `chat.completion` shape (non-streaming only). Usage is estimated at ≈ 4 chars per token.
 */
import type { LocalClock, LocalResponse } from '../server.js';
import { parseChatRequest, type ChatRequest } from './chat-request.js';
import { InvalidRequest, openAiError } from './errors.js';
import { RULES_FINGERPRINT, RULES_MODEL, ruleAnswer } from './rule-answer.js';
import { estimateTokens, sleep, type LlmState, type ScriptedResponse, type Usage } from './state.js';

export const SCRIPTED_FINGERPRINT = 'local-scripted-stand-in';

export interface ChatOutcome {
  response: LocalResponse;
  mode: 'scripted' | 'rules' | null;
}

export async function handleChat(body: unknown, state: LlmState, clock: LocalClock): Promise<ChatOutcome> {
  let req: ChatRequest;
  try {
    req = parseChatRequest(body);
  } catch (err) {
    if (err instanceof InvalidRequest) return { response: err.toResponse(), mode: null };
    throw err;
  }
  await sleep(state.latency.chat_ms);
  const scripted = state.queue.shift();
  if (scripted) return { response: await scriptedResponse(scripted, req, state, clock), mode: 'scripted' };

  const answer = ruleAnswer(req, new Date(clock.now()));
  if (!answer.ok) return { response: openAiError(500, answer.message), mode: 'rules' };
  const completion = buildCompletion(state, clock, req, {
    content: answer.content,
    model: RULES_MODEL,
    fingerprint: RULES_FINGERPRINT,
    usage: null,
  });
  return { response: { status: 200, body: completion }, mode: 'rules' };
}

async function scriptedResponse(s: ScriptedResponse, req: ChatRequest, state: LlmState, clock: LocalClock): Promise<LocalResponse> {
  await sleep(s.delay_ms);
  if (s.status >= 400) return openAiError(s.status, s.error ?? `Scripted error (status ${s.status}) from the local LLM stand-in`);
  const answer = { content: s.content, model: req.model, fingerprint: SCRIPTED_FINGERPRINT, usage: s.usage };
  const completion = buildCompletion(state, clock, req, answer);
  return { status: s.status, body: completion };
}

interface Answer {
  content: string;
  model: string;
  fingerprint: string;
  usage: Partial<Usage> | null;
}

function buildCompletion(state: LlmState, clock: LocalClock, req: ChatRequest, answer: Answer) {
  const promptTokens = estimateTokens(req.messages.map((m) => m.content).join('\n'));
  const completionTokens = estimateTokens(answer.content) * req.n;
  const usage = {
    prompt_tokens: answer.usage?.prompt_tokens ?? promptTokens,
    completion_tokens: answer.usage?.completion_tokens ?? completionTokens,
    total_tokens: 0,
  };
  usage.total_tokens = answer.usage?.total_tokens ?? usage.prompt_tokens + usage.completion_tokens;
  return {
    id: `chatcmpl-local-${state.nextId++}`,
    object: 'chat.completion' as const,
    created: Math.floor(clock.now() / 1000),
    model: answer.model,
    system_fingerprint: answer.fingerprint,
    service_tier: 'default',
    choices: Array.from({ length: req.n }, (_, index) => ({
      index,
      message: { role: 'assistant' as const, content: answer.content, refusal: null, annotations: [] },
      finish_reason: 'stop' as const,
      logprobs: null,
    })),
    usage,
  };
}
