/**
 * Local QStash: a stand-in for Upstash QStash v2 that the official `@upstash/qstash@2.12.0` Client
 * talks to unchanged, and whose deliveries the official Receiver verifies (UPSTASH_PROTOCOLS.md §3).
 *
 * Supported endpoints (Bearer token = `token`):
 *   POST   /v2/publish/{destination}             destination = path remainder + raw query; http(s) only
 *   POST   /v2/enqueue/{queue}/{destination}     FIFO per queue (parallelism 1 unless upserted)
 *   POST   /v2/batch                             [{destination,headers,body?,queue?}] → [PublishResponse]
 *   POST   /v2/schedules/{destination}           Upstash-Cron (+ Upstash-Schedule-Id overwrites)
 *   GET    /v2/schedules, /v2/schedules/{id};  DELETE /v2/schedules/{id}
 *   PATCH|POST /v2/schedules/{id}/pause|resume
 *   GET    /v2/messages/{id};  DELETE /v2/messages/{id};  DELETE /v2/messages?filters (bulk cancel)
 *   GET    /v2/dlq?filters;  DELETE /v2/dlq/{dlqId};  DELETE /v2/dlq?filters;  POST /v2/dlq/retry?filters
 *   POST   /v2/queues;  GET /v2/queues[/{name}];  DELETE /v2/queues/{name};  POST /v2/queues/{name}/pause|resume
 *   GET    /v2/events, /v2/logs, /v2/keys
 * Anything else (URL groups/topics, flow-control API, workflows, LLM) → 404 {"error":"local qstash:
 * unsupported endpoint …"}. Publish honours the Upstash- headers Method, Delay, Not-Before, Retries,
 * Retry-Delay, Timeout, Deduplication-Id, Content-Based-Deduplication, Callback and Failure-Callback
 * (with their -Method/-Retries/-Retry-Delay/-Delay/-Timeout/-Forward- variants), Forward-, Label,
 * Queue-Name, Flow-Control-Key/-Value (parallelism only), plus Content-Type.
 *
 * Delivery: 'auto' delivers due messages with fetch() every 50 ms (for `npm start`); 'drain' never
 * delivers by itself: tests pull due attempts and report outcomes (see qstash/control.ts), or call
 * drainAuto(). Besides the shared /_local/* routes (server.ts): /_local/qstash/pull|report|drain|messages.
 */
import { createClock, startLocalServer, type Faults, type LocalClock, type LocalRequest, type LocalResponse, type LocalServer } from './server.js';
import { createAutoDelivery } from './qstash/auto.js';
import { controlRoutes, stateSummary } from './qstash/control.js';
import { createCore } from './qstash/core.js';
import { error, unsupported } from './qstash/http.js';
import { QStashError } from './qstash/publish.js';
import { messageRoutes } from './qstash/routes-messages.js';
import { publishRoutes } from './qstash/routes-publish.js';
import { queueRoutes } from './qstash/routes-queues.js';
import { scheduleRoutes } from './qstash/routes-schedules.js';
import type { DeliveryOutcome, PendingDelivery } from './qstash/types.js';

export type { DeliveryOutcome, PendingDelivery } from './qstash/types.js';

export interface QStashOptions {
  token: string;
  currentSigningKey: string;
  nextSigningKey: string;
  port?: number;
  host?: string;
  /** 'auto' (default): a 50 ms loop delivers over HTTP. 'drain': nothing moves unless a test pulls. */
  delivery?: 'auto' | 'drain';
  /** Retry backoffs are divided by this; e.g. 100 turns QStash's 12 s first retry into 120 ms. */
  timeScale?: number;
  clock?: LocalClock;
  faults?: Faults;
}

export interface LocalQStash extends LocalServer {
  /** Due attempts (at most `max`), marked in flight and freshly signed. Runs schedule ticks first. */
  pull(max?: number): Promise<PendingDelivery[]>;
  /** Applies the outcome of the attempt `id` (from pull) exactly as a real delivery would. */
  report(id: string, outcome: DeliveryOutcome): Promise<void>;
  /** Delivers everything due with fetch(), pass after pass until nothing is due; returns attempts made. */
  drainAuto(): Promise<number>;
}

/** QStashError → its status and `{"error"}`; bad JSON → 400; anything else is left to the base (500). */
async function guarded(run: () => Promise<LocalResponse | undefined> | LocalResponse | undefined): Promise<LocalResponse | undefined> {
  try {
    return await run();
  } catch (err) {
    if (err instanceof QStashError) return error(err.message, err.status);
    if (err instanceof SyntaxError) return error(`invalid JSON body: ${err.message}`);
    throw err;
  }
}

export async function startQStash(opts: QStashOptions): Promise<LocalQStash> {
  const clock = opts.clock ?? createClock();
  const mode = opts.delivery ?? 'auto';
  const core = createCore({ clock, currentSigningKey: opts.currentSigningKey, timeScale: opts.timeScale ?? 1 });
  const auto = createAutoDelivery(core);
  const keys = { current: opts.currentSigningKey, next: opts.nextSigningKey };

  const handle = async (req: LocalRequest): Promise<LocalResponse> =>
    (await guarded(
      () => publishRoutes(core, req) ?? scheduleRoutes(core, req) ?? messageRoutes(core, req, keys) ?? queueRoutes(core, req),
    )) ?? unsupported(req);

  const server = await startLocalServer({
    name: 'local qstash',
    token: opts.token,
    clock,
    ...(opts.port === undefined ? {} : { port: opts.port }),
    ...(opts.host === undefined ? {} : { host: opts.host }),
    ...(opts.faults === undefined ? {} : { faults: opts.faults }),
    handle,
    faultResponse: () => error('local qstash: injected fault', 500),
    unauthorized: () => error('Unauthorized', 401),
    state: () => stateSummary(core, mode),
    reset: () => core.reset(),
    control: (req) => guarded(() => controlRoutes(core, req, () => auto.drain())),
  });
  if (mode === 'auto') auto.startLoop();

  return {
    ...server,
    async close() {
      await auto.close();
      await server.close();
    },
    pull: async (max) => core.pull(max).map((p) => p.delivery),
    report: async (id, outcome) => {
      core.report(id, outcome);
    },
    drainAuto: () => auto.drain(),
  };
}
