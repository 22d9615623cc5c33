/**
 * What the local LLM remembers between calls: the scripted-response queue, the call log tests assert
 * on, and the added latency benchmarks set. One object per server, passed to the handlers.
 */

export interface Usage {
  prompt_tokens: number;
  completion_tokens: number;
  total_tokens: number;
}

/** One queued answer for the next chat call (see script.ts for the wire form). */
export interface ScriptedResponse {
  content: string;
  status: number;
  error: string | null;
  delay_ms: number;
  usage: Partial<Usage> | null;
}

export interface CallRecord {
  endpoint: '/v1/chat/completions' | '/v1/embeddings';
  /** The request body as parsed JSON (or the raw text when it was not JSON). */
  body: unknown;
  /** The server clock at arrival, epoch ms. */
  time: number;
  status: number;
  /** How a chat call was answered; null for embeddings and rejected requests. */
  mode: 'scripted' | 'rules' | null;
}

export interface Latency {
  chat_ms: number;
  embeddings_ms: number;
}

export interface LlmState {
  queue: ScriptedResponse[];
  calls: CallRecord[];
  /** Calls since the last reset; unlike `calls.length` it is not capped. */
  callCount: number;
  latency: Latency;
  nextId: number;
}

export const MAX_CALLS = 10_000;

export function createState(): LlmState {
  return { queue: [], calls: [], callCount: 0, latency: { chat_ms: 0, embeddings_ms: 0 }, nextId: 1 };
}

export function recordCall(state: LlmState, call: CallRecord): void {
  state.callCount += 1;
  state.calls.push(call);
  if (state.calls.length > MAX_CALLS) state.calls.splice(0, state.calls.length - MAX_CALLS);
}

/** ≈ 4 characters per token: close enough to OpenAI's count for usage figures and cost estimates. */
export function estimateTokens(text: string): number {
  return text.length === 0 ? 0 : Math.ceil(text.length / 4);
}

export const sleep = (ms: number): Promise<void> =>
  ms > 0 ? new Promise((resolve) => setTimeout(resolve, ms)) : Promise.resolve();
