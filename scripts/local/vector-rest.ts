/**
 * The local Upstash Vector REST server: the official `@upstash/vector` `Index` cannot tell it from
 * Upstash (UPSTASH_PROTOCOLS.md §2), and its built-in text model (text-model.ts) makes the `*-data`
 * endpoints work offline.
 *
 * Endpoints (POST, also GET/DELETE; `/{endpoint}/{namespace}` for a namespace, none = the default ""):
 *   upsert, upsert-data, update, delete, query, query-data, fetch, range, reset (+ `?all`), info,
 *   list-namespaces, delete-namespace/{ns}, resumable-query, resumable-query-data,
 *   resumable-query-next, resumable-query-end.
 * Anything else is a loud 404 "unsupported endpoint". Success is `{"result": …}`, an error
 * `{"error": "…", "status": n}`. Control routes (`/_local/state|reset|clock|faults|log`), auth, the
 * clock and the fault knob come from server.ts.
 *
 * Code: vector/ — store, namespace and dense-store (data), search and scoring (ranking), filter-*
 * (the metadata filter language), handlers-* (endpoints), persistence (snapshots).
 */
import { createClock, startLocalServer, type LocalClock, type LocalRequest, type LocalResponse, type LocalServer, type Faults } from './server.js';
import type { Handler, HandlerContext } from './vector/context.js';
import { handleDeleteNamespace, handleInfo, handleListNamespaces, handleReset } from './vector/handlers-admin.js';
import { handleFetch, handleQuery, handleQueryData, handleRange } from './vector/handlers-read.js';
import { handleDelete, handleUpdate, handleUpsert, handleUpsertData } from './vector/handlers-write.js';
import { loadSnapshot, SnapshotWriter } from './vector/persistence.js';
import { handleResumableEnd, handleResumableNext, handleResumableStart, ResumableQueries } from './vector/resumable.js';
import { VectorStore } from './vector/store.js';
import { VectorError, type IndexType, type Similarity } from './vector/types.js';

export interface VectorRestOptions {
  token: string;
  port?: number;
  host?: string;
  /** Default HYBRID: dense + BM25 sparse, the recommended production setup. */
  indexType?: IndexType;
  similarity?: Similarity;
  /** Dense dimension, default 384. */
  dimension?: number;
  /** Whether the index has an embedding model (the `*-data` endpoints); default true. */
  embedding?: boolean;
  /** Where snapshots live; without it the index is in memory only. */
  dataDir?: string;
  /** How often a changed index is snapshotted, default 5000 ms; close() always writes a final one. */
  snapshotIntervalMs?: number;
  clock?: LocalClock;
  faults?: Faults;
}

/** Endpoints that take a namespace suffix; the rest are matched on their whole path. */
const NAMESPACED: Record<string, Handler> = {
  upsert: handleUpsert,
  'upsert-data': handleUpsertData,
  update: handleUpdate,
  delete: handleDelete,
  query: handleQuery,
  'query-data': handleQueryData,
  fetch: handleFetch,
  range: handleRange,
  reset: handleReset,
  'delete-namespace': handleDeleteNamespace,
  'resumable-query': handleResumableStart(false),
  'resumable-query-data': handleResumableStart(true),
};

const GLOBAL: Record<string, Handler> = {
  info: handleInfo,
  'list-namespaces': handleListNamespaces,
  'resumable-query-next': handleResumableNext,
  'resumable-query-end': handleResumableEnd,
};

const METHODS = new Set(['POST', 'GET', 'DELETE']);

function fail(status: number, error: string): LocalResponse {
  return { status, body: { error, status } };
}

/** `/query/ns` → ["query", "ns"]. The SDK does not URL-encode namespaces; decode anyway if we can. */
function route(path: string): { handler: Handler | undefined; ns: string } {
  const rest = path.replace(/^\/+/, '');
  const slash = rest.indexOf('/');
  const endpoint = slash === -1 ? rest : rest.slice(0, slash);
  let ns = slash === -1 ? '' : rest.slice(slash + 1);
  try {
    ns = decodeURIComponent(ns);
  } catch {
    // Not percent-encoded after all: keep the raw text.
  }
  // hasOwn, not a plain lookup: "/constructor" must not find Object.prototype's.
  if (slash === -1 && Object.hasOwn(GLOBAL, endpoint)) return { handler: GLOBAL[endpoint], ns };
  return { handler: Object.hasOwn(NAMESPACED, endpoint) ? NAMESPACED[endpoint] : undefined, ns };
}

function dispatch(ctx: HandlerContext, req: LocalRequest): LocalResponse {
  if (!METHODS.has(req.method)) return fail(405, `Method ${req.method} is not allowed`);
  const { handler, ns } = route(req.path);
  if (!handler) return fail(404, `vector-rest: unsupported endpoint ${req.path}`);
  let body: unknown = {};
  try {
    if (req.body.length > 0) body = req.json();
  } catch (err) {
    return fail(400, `Invalid JSON body: ${(err as Error).message}`);
  }
  try {
    return { status: 200, body: { result: handler(ctx, ns, body, req.query) } };
  } catch (err) {
    if (err instanceof VectorError) return fail(err.status, err.message);
    throw err;
  }
}

export async function startVectorRest(opts: VectorRestOptions): Promise<LocalServer> {
  const dimension = opts.dimension ?? 384;
  if (!Number.isInteger(dimension) || dimension < 1) throw new Error(`vector-rest: dimension must be a positive integer, got ${dimension}`);
  const store = new VectorStore({
    indexType: opts.indexType ?? 'HYBRID',
    similarity: opts.similarity ?? 'COSINE',
    dimension,
    embedding: opts.embedding ?? true,
  });
  if (opts.dataDir) await loadSnapshot(opts.dataDir, store);
  const clock = opts.clock ?? createClock();
  const ctx: HandlerContext = { store, config: store.config, clock, resumable: new ResumableQueries() };

  const server = await startLocalServer({
    name: 'vector-rest',
    token: opts.token,
    port: opts.port,
    host: opts.host,
    clock,
    faults: opts.faults,
    handle: (req) => dispatch(ctx, req),
    faultResponse: () => fail(503, 'local fault injected'),
    unauthorized: () => fail(401, 'Unauthorized: Invalid auth token'),
    state: () => store.state(),
    reset: () => {
      store.clear();
      ctx.resumable.clear();
    },
  });
  // Started only once the port is ours, so a failed start leaves no timer behind.
  const writer = opts.dataDir ? new SnapshotWriter(opts.dataDir, store, opts.snapshotIntervalMs ?? 5000) : undefined;

  return {
    ...server,
    close: async () => {
      await server.close();
      await writer?.close();
    },
  };
}
