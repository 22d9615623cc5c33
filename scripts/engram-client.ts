/**
 * A small client for Engram's public HTTP API, used by the demo and the retrieval evaluation.
 * Plain fetch, JSON in and out; a non-2xx answer throws EngramError with the envelope's code and message.
 */

export class EngramError extends Error {
  override name = 'EngramError';
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

export interface Message {
  role: 'user' | 'assistant' | 'system' | 'tool';
  content: string;
  name?: string;
  id?: string;
  /** ISO-8601 or epoch ms. */
  created_at?: string | number;
}

export interface Memory {
  id: string;
  memory: string;
  kind: 'fact' | 'preference' | 'episode';
  valid_at?: string;
  invalid_at?: string;
  source_ids: string[];
  supersedes?: string;
  superseded_by?: string;
  score?: number;
  [field: string]: unknown;
}

export interface EventResult {
  id: string;
  event: 'ADD' | 'UPDATE' | 'INVALIDATE' | 'NOOP' | 'DELETE' | 'EXPIRE';
  memory: string;
  previous?: string;
}

export interface EngramEvent {
  event_id: string;
  status: 'queued' | 'running' | 'succeeded' | 'failed';
  results: EventResult[];
  usage: { llm_calls: number; prompt_tokens: number; completion_tokens: number };
  error?: string;
  merged_into?: string;
}

export interface Scope {
  user_id?: string;
  agent_id?: string;
  run_id?: string;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export class EngramClient {
  constructor(
    readonly baseUrl: string,
    private readonly token: string,
    private readonly retries = 5,
  ) {}

  /**
   * One call. A connection error (e.g. `wrangler dev` reloading after a source change), 429 and 503
   * (rate limited, upstream briefly unavailable) are retried up to `retries` times, after Retry-After
   * when given, else 250 ms doubling. Safe for every call the demo and the eval make: reads, erases,
   * and ingests whose messages carry an id or a created_at (a resent message is not added twice).
   */
  async request<T>(method: string, path: string, body?: unknown): Promise<T> {
    let res: Response | undefined;
    for (let attempt = 0; ; attempt++) {
      let wait = 250 * 2 ** attempt;
      try {
        res = await fetch(`${this.baseUrl}${path}`, {
          method,
          headers: { authorization: `Bearer ${this.token}`, ...(body !== undefined && { 'content-type': 'application/json' }) },
          body: body === undefined ? undefined : JSON.stringify(body),
        });
      } catch (err) {
        if (attempt >= this.retries) throw new Error(`${method} ${path}: ${err instanceof Error ? err.message : String(err)} (${this.baseUrl})`);
        await sleep(wait);
        continue;
      }
      if ((res.status !== 429 && res.status !== 503) || attempt >= this.retries) break;
      await res.body?.cancel();
      const after = Number(res.headers.get('retry-after'));
      if (Number.isFinite(after) && after > 0) wait = after * 1000;
      await sleep(wait);
    }
    const text = await res.text();
    let json: unknown;
    try {
      json = text ? JSON.parse(text) : undefined;
    } catch {
      json = undefined;
    }
    if (!res.ok) {
      const err = (json as { error?: { code?: string; message?: string } } | undefined)?.error;
      throw new EngramError(res.status, err?.code ?? 'HTTP', `${method} ${path} → ${res.status}: ${err?.message ?? text.slice(0, 200)}`);
    }
    return json as T;
  }

  /** Admin: a new API key for `tenant` (this client must hold the admin token); scripts' keys are exempt from the rate limit. */
  mintKey(tenant: string) {
    return this.request<{ key: string; key_id: string; tenant: string }>('POST', `/v1/admin/tenants/${encodeURIComponent(tenant)}/keys`, { rate_limit: { requests: 0 } });
  }

  revokeKey(keyId: string) {
    return this.request<{ revoked: boolean }>('DELETE', `/v1/admin/keys/${encodeURIComponent(keyId)}`);
  }

  /** POST /v1/memories; the answer's shape depends on infer and mode (202 event, 200 event, 201 episodes). */
  ingest<T = unknown>(body: Scope & { messages: Message[]; infer?: boolean; mode?: 'async' | 'sync'; metadata?: Record<string, unknown> }) {
    return this.request<T>('POST', '/v1/memories', body);
  }

  search(body: Scope & { query: string; top_k?: number; kinds?: Memory['kind'][]; as_of?: string | number; include_invalidated?: boolean; include_expired?: boolean }) {
    return this.request<{ results: Memory[] }>('POST', '/v1/memories/search', body);
  }

  event(id: string) {
    return this.request<EngramEvent>('GET', `/v1/events/${encodeURIComponent(id)}`);
  }

  /**
   * Polls an event until it has succeeded or failed (following `merged_into` when a later job took its
   * turns over, as the trailing debounce does). Throws after `timeoutMs` with the last status seen.
   */
  async waitForEvent(id: string, opts: { timeoutMs: number; intervalMs?: number }): Promise<EngramEvent> {
    const until = Date.now() + opts.timeoutMs;
    let current = id;
    let last = 'not seen';
    for (;;) {
      const ev = await this.event(current);
      last = ev.status;
      if (ev.status === 'failed') return ev;
      if (ev.status === 'succeeded') {
        if (!ev.merged_into) return ev;
        current = ev.merged_into;
        continue;
      }
      if (Date.now() >= until) throw new Error(`event ${current} still "${last}" after ${Math.round(opts.timeoutMs / 1000)} s`);
      await sleep(opts.intervalMs ?? 200);
    }
  }

  history(memoryId: string) {
    return this.request<{ id: string; history: Array<{ event: string; at: string; version: number; memory: string | null; previous: string | null; cause: string }> }>(
      'GET',
      `/v1/memories/${encodeURIComponent(memoryId)}/history`,
    );
  }

  list(scope: Scope, opts: { include_invalidated?: boolean; include_expired?: boolean } = {}) {
    const q = new URLSearchParams({
      ...(scope as Record<string, string>),
      ...(opts.include_invalidated && { include_invalidated: 'true' }),
      ...(opts.include_expired && { include_expired: 'true' }),
      limit: '1000',
    });
    return this.request<{ results: Memory[]; next_cursor: string | null }>('GET', `/v1/memories?${q}`);
  }

  erase(scope: Scope) {
    return this.request<{ deleted: number }>('DELETE', `/v1/memories?${new URLSearchParams(scope as Record<string, string>)}`);
  }
}
