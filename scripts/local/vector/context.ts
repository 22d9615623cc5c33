/** What every endpoint handler gets: the index, its config and clock, and the open resumable queries. */
import type { LocalClock } from '../server.js';
import type { ResumableQueries } from './resumable.js';
import type { VectorStore } from './store.js';
import type { IndexConfig } from './types.js';

export interface HandlerContext {
  store: VectorStore;
  config: IndexConfig;
  clock: LocalClock;
  resumable: ResumableQueries;
}

/** One endpoint: (context, namespace from the path ("" = default), parsed body, query string) → result. */
export type Handler = (ctx: HandlerContext, ns: string, body: unknown, query: URLSearchParams) => unknown;
