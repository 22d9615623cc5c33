/**
 * `Engram`: the tenant API (/v1), one method per route, grouped as the API is (context, memories,
 * events, sessions, blocks, entities). Every method resolves with the answer's JSON or throws EngramError.
 */
import { Blocks } from './blocks';
import { type FetchLike, seg, Transport } from './http';
import type {
  AddMemoriesRequest,
  AddResult,
  ContextAnswer,
  ContextRequest,
  DeleteAllRequest,
  Deleted,
  EntityAnswer,
  EntityListRequest,
  EntityPage,
  EntityRequest,
  EpisodesAdded,
  Erased,
  Event,
  ListMemoriesRequest,
  Memory,
  MemoryHistory,
  MemoryPage,
  Queued,
  SearchRequest,
  SearchResults,
  SessionCleared,
  SessionMessages,
  SessionRequest,
  SyncEvent,
  UpdateMemoryRequest,
} from './types';

export interface EngramOptions {
  baseUrl: string;
  /** A tenant API key (`egk_…`). */
  apiKey: string;
  /** Defaults to the global fetch; pass a service binding's or a test's. */
  fetch?: FetchLike;
}

class Memories {
  constructor(private readonly t: Transport) {}

  /** Ingest turns. The answer depends on the request: see the overloads. */
  add(request: AddMemoriesRequest & { infer: false }): Promise<EpisodesAdded>;
  add(request: AddMemoriesRequest & { mode: 'sync'; infer?: true }): Promise<SyncEvent>;
  add(request: AddMemoriesRequest & { mode?: 'async'; infer?: true }): Promise<Queued>;
  add(request: AddMemoriesRequest): Promise<AddResult>;
  add(request: AddMemoriesRequest): Promise<AddResult> {
    return this.t.request('POST', '/v1/memories', { body: request });
  }

  search(request: SearchRequest): Promise<SearchResults> {
    return this.t.request('POST', '/v1/memories/search', { body: request });
  }

  /** One page of a scope's memories; pass `next_cursor` back as `cursor`. */
  list(request: ListMemoriesRequest): Promise<MemoryPage> {
    return this.t.request('GET', '/v1/memories', { query: request });
  }

  get(id: string): Promise<Memory> {
    return this.t.request('GET', `/v1/memories/${seg(id)}`);
  }

  update(id: string, edit: UpdateMemoryRequest): Promise<Memory> {
    return this.t.request('PATCH', `/v1/memories/${seg(id)}`, { body: edit });
  }

  delete(id: string): Promise<Deleted> {
    return this.t.request('DELETE', `/v1/memories/${seg(id)}`);
  }

  history(id: string): Promise<MemoryHistory> {
    return this.t.request('GET', `/v1/memories/${seg(id)}/history`);
  }

  /** Erases one whole scope (exactly one of user_id, agent_id, run_id) from every store. */
  deleteAll(scope: DeleteAllRequest): Promise<Erased> {
    return this.t.request('DELETE', '/v1/memories', { query: scope });
  }
}

class Events {
  constructor(private readonly t: Transport) {}

  get(id: string): Promise<Event> {
    return this.t.request('GET', `/v1/events/${seg(id)}`);
  }

  /**
   * Polls until the extraction has succeeded or failed (a failed event is returned, not thrown),
   * following `merged_into` when a later job took the turns over (the trailing debounce). Throws after
   * `timeoutMs` (default 30 s) with the last status seen.
   */
  async wait(id: string, opts: { timeoutMs?: number; intervalMs?: number } = {}): Promise<Event> {
    const timeoutMs = opts.timeoutMs ?? 30_000;
    const until = Date.now() + timeoutMs;
    for (let current = id; ; ) {
      const ev = await this.get(current);
      if (ev.status === 'failed' || (ev.status === 'succeeded' && !ev.merged_into)) return ev;
      if (ev.merged_into) {
        current = ev.merged_into;
        continue;
      }
      if (Date.now() >= until) throw new Error(`event ${current} still "${ev.status}" after ${Math.round(timeoutMs / 1000)} s`);
      await new Promise((r) => setTimeout(r, opts.intervalMs ?? 200));
    }
  }
}

class Sessions {
  constructor(private readonly t: Transport) {}

  /** The session's buffered turns, oldest first. */
  get(runId: string, request: SessionRequest = {}): Promise<SessionMessages> {
    return this.t.request('GET', `/v1/sessions/${seg(runId)}/messages`, { query: request });
  }

  delete(runId: string, request: SessionRequest = {}): Promise<SessionCleared> {
    return this.t.request('DELETE', `/v1/sessions/${seg(runId)}/messages`, { query: request });
  }
}

class Entities {
  constructor(private readonly t: Transport) {}

  /** One page of a scope's entities; pass `next_cursor` back as `cursor`. */
  list(request: EntityListRequest): Promise<EntityPage> {
    return this.t.request('GET', '/v1/entities', { query: request });
  }

  /** An entity by name or alias, with its facts as edges at `as_of` (default now). */
  get(name: string, request: EntityRequest): Promise<EntityAnswer> {
    return this.t.request('GET', `/v1/entities/${seg(name)}`, { query: request });
  }
}

export class Engram {
  readonly memories: Memories;
  readonly entities: Entities;
  readonly events: Events;
  readonly sessions: Sessions;
  readonly blocks: Blocks;
  private readonly t: Transport;

  constructor(options: EngramOptions) {
    this.t = new Transport({ baseUrl: options.baseUrl, token: options.apiKey, ...(options.fetch && { fetch: options.fetch }) });
    this.memories = new Memories(this.t);
    this.entities = new Entities(this.t);
    this.events = new Events(this.t);
    this.sessions = new Sessions(this.t);
    this.blocks = new Blocks(this.t);
  }

  /** What the model should know now: recent turns, relevant memories, core blocks and a ready prompt section. */
  context(request: ContextRequest): Promise<ContextAnswer> {
    return this.t.request('POST', '/v1/context', { body: request });
  }
}
