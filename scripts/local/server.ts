/**
 * The shared base of every local stand-in server (Redis REST, Vector REST, QStash, LLM).
 *
 * Each server supplies a `handle` function for its own wire protocol; this module adds what they all
 * share, so the behaviour is the same everywhere:
 *   - Bearer-token auth (the service's own token) on every route, control routes included;
 *   - a clock the tests can read and advance (`now()` = wall clock + offset, in epoch ms);
 *   - a fault knob: added delay per call, error rate, timeouts (calls never answered), dropped
 *     connections (deterministic PRNG);
 *   - a request log with start/end times, so tests can check which calls ran in one parallel wave;
 *   - control routes, behind the same token:
 *       GET  /_local/state            the server's state (server-defined JSON)
 *       POST /_local/reset            drop all data (and the log); faults and clock are kept
 *       GET  /_local/clock            {now}
 *       POST /_local/clock            {advance_ms} | {set_ms}  -> {now}
 *       GET  /_local/faults           the fault settings
 *       POST /_local/faults           {delay_ms?, error_rate?, drop_rate?, timeout_rate?, seed?, match?} (omitted fields keep their value)
 *       GET  /_local/log              [{id, method, path, started_at, ended_at, status, excerpt}] (hrtime ms)
 *       DELETE /_local/log            clear the log
 * Faults apply to protocol routes only, never to /_local/*.
 */
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { performance } from 'node:perf_hooks';
import { prng } from './prng';

export interface LocalClock {
  now(): number;
  advance(ms: number): number;
  set(epochMs: number): number;
}

export function createClock(): LocalClock {
  let offset = 0;
  return {
    now: () => Date.now() + offset,
    advance(ms) {
      offset += ms;
      return Date.now() + offset;
    },
    set(epochMs) {
      offset = epochMs - Date.now();
      return epochMs;
    },
  };
}

export interface Faults {
  /** Added delay before every protocol call, in ms. */
  delay_ms: number;
  /** Share of protocol calls (0..1) answered with the server's fault response (a 5xx). */
  error_rate: number;
  /** Share of protocol calls (0..1) whose connection is destroyed without an answer. */
  drop_rate: number;
  /**
   * Share of protocol calls (0..1) that are never answered: the connection stays open and silent until
   * the client gives up (its deadline), or HANG_CAP_MS passes. Unset means 0.
   */
  timeout_rate?: number;
  seed: number;
  /**
   * When non-empty, faults apply only to calls whose "METHOD path body" contains this text
   * (case-insensitive): e.g. "lrange" fails the Redis pipelines that read a buffer and nothing else.
   */
  match: string;
}

export function faultsFromEnv(env: NodeJS.ProcessEnv = process.env): Faults {
  return {
    delay_ms: Number(env.LOCAL_DELAY_MS ?? 0) || 0,
    error_rate: Number(env.LOCAL_ERROR_RATE ?? 0) || 0,
    drop_rate: Number(env.LOCAL_DROP_RATE ?? 0) || 0,
    timeout_rate: Number(env.LOCAL_TIMEOUT_RATE ?? 0) || 0,
    seed: Number(env.LOCAL_FAULT_SEED ?? 1) || 1,
    match: (env.LOCAL_FAULT_MATCH ?? '').toLowerCase(),
  };
}


export interface LocalRequest {
  method: string;
  /** The decoded-as-sent path without the query string, e.g. `/pipeline` or `/v2/publish/http://x/y`. */
  path: string;
  /** The raw query string without `?` ("" when absent). */
  rawQuery: string;
  query: URLSearchParams;
  headers: IncomingHttpHeaders;
  body: Buffer;
  text(): string;
  /** JSON.parse of the body; throws SyntaxError on bad JSON. */
  json(): unknown;
}

export interface LocalResponse {
  status: number;
  headers?: Record<string, string>;
  /** A string or Buffer is sent as is; anything else is sent as JSON. */
  body?: unknown;
}

export interface LogEntry {
  id: number;
  method: string;
  path: string;
  started_at: number;
  ended_at: number;
  /** The HTTP status sent; 0 when the fault knob dropped the call or left it hanging. */
  status: number;
  /** The first 160 bytes of the request body, to tell calls apart. */
  excerpt: string;
}

export interface LocalServerOptions {
  /** Shown in errors and logs, e.g. "redis-rest". */
  name: string;
  token: string;
  port?: number;
  host?: string;
  clock?: LocalClock;
  faults?: Faults;
  handle(req: LocalRequest): Promise<LocalResponse> | LocalResponse;
  /** The answer given when the fault knob injects an error: the service's own error shape. */
  faultResponse(): LocalResponse;
  /** The answer given on a bad token: the service's own 401 shape. */
  unauthorized(): LocalResponse;
  state(): unknown;
  reset(): void | Promise<void>;
  /** Extra control routes (`/_local/...`), tried before the shared ones. Return undefined to fall through. */
  control?(req: LocalRequest): Promise<LocalResponse | undefined> | LocalResponse | undefined;
  /** Tokens accepted besides `token` (e.g. a read-only token). */
  isAuthorized?(token: string): boolean;
}

export interface LocalServer {
  url: string;
  port: number;
  clock: LocalClock;
  faults: Faults;
  log: LogEntry[];
  close(): Promise<void>;
}

const MAX_LOG = 10_000;
/** A call hung by `timeout_rate` is cut after this long even if its client never gives up, ms. */
const HANG_CAP_MS = 120_000;

export async function startLocalServer(opts: LocalServerOptions): Promise<LocalServer> {
  const clock = opts.clock ?? createClock();
  const faults: Faults = { ...(opts.faults ?? faultsFromEnv()) };
  let random = prng(faults.seed);
  const log: LogEntry[] = [];
  let nextLogId = 1;

  const authorized = (headers: IncomingHttpHeaders, query: URLSearchParams): boolean => {
    const auth = headers.authorization ?? '';
    const token = auth.startsWith('Bearer ') ? auth.slice(7) : (query.get('_token') ?? '');
    return token === opts.token || (opts.isAuthorized?.(token) ?? false);
  };

  const control = async (req: LocalRequest): Promise<LocalResponse> => {
    const custom = await opts.control?.(req);
    if (custom) return custom;
    const key = `${req.method} ${req.path}`;
    switch (key) {
      case 'GET /_local/state':
        return { status: 200, body: opts.state() };
      case 'POST /_local/reset':
        await opts.reset();
        log.length = 0;
        return { status: 200, body: { ok: true } };
      case 'GET /_local/clock':
        return { status: 200, body: { now: clock.now() } };
      case 'POST /_local/clock': {
        const b = (req.body.length ? req.json() : {}) as { advance_ms?: number; set_ms?: number };
        if (typeof b.set_ms === 'number') clock.set(b.set_ms);
        if (typeof b.advance_ms === 'number') clock.advance(b.advance_ms);
        return { status: 200, body: { now: clock.now() } };
      }
      case 'GET /_local/faults':
        return { status: 200, body: faults };
      case 'POST /_local/faults': {
        const b = (req.body.length ? req.json() : {}) as Partial<Faults>;
        for (const k of ['delay_ms', 'error_rate', 'drop_rate', 'timeout_rate', 'seed'] as const) {
          if (typeof b[k] === 'number') faults[k] = b[k];
        }
        if (typeof b.match === 'string') faults.match = b.match.toLowerCase();
        if (typeof b.seed === 'number') random = prng(b.seed);
        return { status: 200, body: faults };
      }
      case 'GET /_local/log':
        return { status: 200, body: log };
      case 'DELETE /_local/log':
        log.length = 0;
        return { status: 200, body: { ok: true } };
      default:
        return { status: 404, body: { error: `${opts.name}: unsupported control route ${key}` } };
    }
  };

  const server: Server = createServer((inReq, outRes) => {
    const chunks: Buffer[] = [];
    inReq.on('data', (c: Buffer) => chunks.push(c));
    inReq.on('end', () => {
      const started = performance.now();
      const raw = inReq.url ?? '/';
      const q = raw.indexOf('?');
      const path = q === -1 ? raw : raw.slice(0, q);
      const rawQuery = q === -1 ? '' : raw.slice(q + 1);
      const body = Buffer.concat(chunks);
      const req: LocalRequest = {
        method: inReq.method ?? 'GET',
        path,
        rawQuery,
        query: new URLSearchParams(rawQuery),
        headers: inReq.headers,
        body,
        text: () => body.toString('utf8'),
        json: () => JSON.parse(body.toString('utf8')) as unknown,
      };
      const isControl = path.startsWith('/_local/');

      const send = (res: LocalResponse) => {
        const payload =
          typeof res.body === 'string' || Buffer.isBuffer(res.body)
            ? res.body
            : res.body === undefined
              ? ''
              : JSON.stringify(res.body);
        const headers: Record<string, string> = { ...(res.headers ?? {}) };
        if (!Object.keys(headers).some((h) => h.toLowerCase() === 'content-type') && payload !== '') {
          headers['content-type'] = typeof res.body === 'string' ? 'text/plain' : 'application/json';
        }
        outRes.writeHead(res.status, headers);
        outRes.end(payload);
        if (!isControl) record(res.status);
      };
      /** Status 0 marks a call the fault knob dropped or left hanging (no answer was sent). */
      const record = (status: number) => {
        log.push({ id: nextLogId++, method: req.method, path, started_at: started, ended_at: performance.now(), status, excerpt: body.subarray(0, 160).toString('utf8') });
        if (log.length > MAX_LOG) log.splice(0, log.length - MAX_LOG);
      };

      const run = async (): Promise<void> => {
        if (!authorized(req.headers, req.query)) return send(opts.unauthorized());
        if (isControl) return send(await control(req));
        if (faults.match && !`${req.method} ${path} ${req.text()}`.toLowerCase().includes(faults.match)) return send(await opts.handle(req));
        if (faults.delay_ms > 0) await new Promise((r) => setTimeout(r, faults.delay_ms));
        if (faults.drop_rate > 0 && random() < faults.drop_rate) {
          inReq.socket.destroy();
          return record(0);
        }
        if ((faults.timeout_rate ?? 0) > 0 && random() < (faults.timeout_rate ?? 0)) {
          record(0);
          const socket = inReq.socket;
          const cap = setTimeout(() => socket.destroy(), HANG_CAP_MS);
          socket.once('close', () => clearTimeout(cap));
          return;
        }
        if (faults.error_rate > 0 && random() < faults.error_rate) return send(opts.faultResponse());
        send(await opts.handle(req));
      };
      run().catch((err: unknown) => {
        const message = err instanceof Error ? err.message : String(err);
        console.error(`[${opts.name}] internal error: ${message}`);
        send({ status: 500, body: { error: `${opts.name}: internal error: ${message}` } });
      });
    });
  });
  server.keepAliveTimeout = 60_000;

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, opts.host ?? '127.0.0.1', () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://${opts.host ?? '127.0.0.1'}:${port}`,
    port,
    clock,
    faults,
    log,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
