/**
 * Engram for LangChain.js (`@langchain/core` ≥ 1, a peer dependency): `import { EngramRetriever,
 * EngramChatMessageHistory } from 'engram/langchain'`. Thin wrappers over the typed client: each method
 * is one client call. This module is not reachable from the Worker's entry, so LangChain never enters
 * the Worker bundle; it imports the client only as types.
 *
 *   const retriever = new EngramRetriever({ client: engram, user_id: 'alice', kinds: ['fact', 'preference'] });
 *   const docs = await retriever.invoke('suggest a snack');
 *   const history = new EngramChatMessageHistory({ client: engram, user_id: 'alice', run_id: 's1' });
 */
import { BaseListChatMessageHistory } from '@langchain/core/chat_history';
import { Document } from '@langchain/core/documents';
import { AIMessage, type BaseMessage, ChatMessage, HumanMessage, SystemMessage } from '@langchain/core/messages';
import { BaseRetriever, type BaseRetrieverInput } from '@langchain/core/retrievers';
import type { AddMemoriesRequest, Engram, ScoredMemory, SearchRequest, SessionTurn } from '../client';

/** The API accepts at most this many messages per POST /v1/memories (http/schemas.ts MAX_MESSAGES). */
const MAX_MESSAGES_PER_CALL = 100;
/** Engram keeps a client message id up to this length (longer ids are left out and one is derived). */
const MAX_ID_LENGTH = 128;

export type EngramRetrieverOptions = BaseRetrieverInput & Omit<SearchRequest, 'query'> & { client: Engram };

/** A memory as a LangChain document: the text is the page, every other field of the memory is metadata. */
export type MemoryMetadata = Omit<ScoredMemory, 'memory'>;

/**
 * `POST /v1/memories/search` as a retriever: the query string is the search text, and everything else
 * of the search request (scope ids, `kinds`, `top_k`, `filters`, `threshold`, `as_of`, …) is fixed at
 * construction. Documents come best first, with the memory's `id`, `kind`, `score`, `valid_at`,
 * `source_ids`, scope ids and its own `metadata` under `document.metadata`.
 */
export class EngramRetriever extends BaseRetriever<MemoryMetadata> {
  static override lc_name() {
    return 'EngramRetriever';
  }
  lc_namespace = ['engram', 'retrievers'];
  private readonly client: Engram;
  private readonly request: Omit<SearchRequest, 'query'>;

  constructor(options: EngramRetrieverOptions) {
    const { client, callbacks, tags, metadata, verbose, ...request } = options;
    super({ callbacks, tags, metadata, verbose });
    this.client = client;
    this.request = request;
  }

  override async _getRelevantDocuments(query: string): Promise<Document<MemoryMetadata>[]> {
    const { results } = await this.client.memories.search({ ...this.request, query });
    return results.map(({ memory, ...rest }) => new Document({ pageContent: memory, metadata: rest, id: rest.id }));
  }
}

export interface EngramChatMessageHistoryOptions {
  client: Engram;
  /** The session. Its turns are the working-memory buffer of this run under the user or agent below. */
  run_id: string;
  user_id?: string;
  agent_id?: string;
  /** How many recent turns `getMessages` reads; the Worker's BUFFER_SIZE by default (the buffer keeps no more). */
  limit?: number;
  /** Attached to each ingest, and so to every memory extracted from it. */
  metadata?: Record<string, unknown>;
  /** "async" (default): turns are buffered at once and facts extracted in the background; "sync" waits for extraction. */
  mode?: 'async' | 'sync';
}

type Role = 'user' | 'assistant' | 'system';

/**
 * A LangChain chat history kept in Engram. Adding messages ingests them (`POST /v1/memories`), so the
 * turns land in the session buffer at once and long-term facts are extracted from them; reading returns
 * the session's recent turns; `clear()` empties the session buffer only — memories already extracted
 * stay (erase them with `client.memories.deleteAll`).
 *
 * Engram keeps the conversation's text turns. Tool calls and tool results are the agent's working steps,
 * not part of the conversation to remember: messages with no text and tool messages are not stored, and
 * `tool` turns written by other clients are not returned (a tool result without the call that asked for
 * it would make the history invalid for chat models).
 */
export class EngramChatMessageHistory extends BaseListChatMessageHistory {
  static override lc_name() {
    return 'EngramChatMessageHistory';
  }
  lc_namespace = ['engram', 'chat_history'];
  private readonly client: Engram;
  private readonly options: Omit<EngramChatMessageHistoryOptions, 'client'>;

  constructor({ client, ...options }: EngramChatMessageHistoryOptions) {
    super();
    this.client = client;
    this.options = options;
  }

  private get owner() {
    return { ...(this.options.user_id && { user_id: this.options.user_id }), ...(this.options.agent_id && { agent_id: this.options.agent_id }) };
  }

  override async getMessages(): Promise<BaseMessage[]> {
    const { messages } = await this.client.sessions.get(this.options.run_id, { ...this.owner, ...(this.options.limit && { limit: this.options.limit }) });
    return messages.flatMap((turn) => toMessage(turn) ?? []);
  }

  override async addMessage(message: BaseMessage): Promise<void> {
    await this.addMessages([message]);
  }

  override async addMessages(messages: BaseMessage[]): Promise<void> {
    const turns = messages.flatMap((m) => toTurn(m) ?? []);
    for (let i = 0; i < turns.length; i += MAX_MESSAGES_PER_CALL) {
      await this.client.memories.add({
        ...this.owner,
        run_id: this.options.run_id,
        messages: turns.slice(i, i + MAX_MESSAGES_PER_CALL),
        ...(this.options.metadata && { metadata: this.options.metadata }),
        ...(this.options.mode && { mode: this.options.mode }),
      });
    }
  }

  /** Empties the session buffer and its seen message ids; memories already extracted stay. */
  override async clear(): Promise<void> {
    await this.client.sessions.delete(this.options.run_id, this.owner);
  }
}

/** LangChain's message types by the role Engram stores; `generic` messages carry their own role. */
function roleOf(message: BaseMessage): Role | null {
  const type = message.getType();
  if (type === 'human') return 'user';
  if (type === 'ai') return 'assistant';
  if (type === 'system' || type === 'developer') return 'system';
  if (ChatMessage.isInstance(message) && ['user', 'assistant', 'system'].includes(message.role)) return message.role as Role;
  return null;
}

function toTurn(message: BaseMessage): AddMemoriesRequest['messages'][number] | null {
  const role = roleOf(message);
  const content = message.text;
  if (!role || !content) return null;
  return {
    role,
    content,
    ...(message.name && { name: message.name.slice(0, MAX_ID_LENGTH) }),
    // A message id is kept by Engram, so adding the same message again adds nothing.
    ...(message.id && message.id.length <= MAX_ID_LENGTH && { id: message.id }),
  };
}

function toMessage(turn: SessionTurn): BaseMessage | null {
  const fields = { content: turn.content, id: turn.id, ...(turn.name !== undefined && { name: turn.name }) };
  if (turn.role === 'user') return new HumanMessage(fields);
  if (turn.role === 'assistant') return new AIMessage(fields);
  if (turn.role === 'system') return new SystemMessage(fields);
  return null;
}
