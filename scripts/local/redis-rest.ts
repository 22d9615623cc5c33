/**
 * The local Upstash Redis REST server: the official `@upstash/redis` SDK (auto-pipelining, base64
 * responses and read-your-writes all on) cannot tell it from Upstash (UPSTASH_PROTOCOLS.md §1).
 *
 * Routes (Bearer token or `?_token=`; auth, clock, faults and `/_local/*` come from server.ts):
 *   POST /             one command as a JSON array          → 200 {result} | 400 {error}
 *   POST /pipeline     a JSON array of command arrays       → 200 [{result}|{error}, …] (not atomic)
 *   POST /multi-exec   the same, run atomically             → 200 [{result}|{error}, …]
 *                      | 400 {error} when discarded (unknown command or wrong arity in any item)
 *   GET|POST|PUT|HEAD /cmd/arg/…   the path form: segments are arguments, a POST body is appended as
 *                      the last one, then query pairs (`?EX=100` → EX 100)
 *   /subscribe/*, /psubscribe/*, /monitor → 400 "not supported by the local server"; other methods → 405
 *   GET /_local/state  {engine, keys};  POST /_local/reset clears the in-memory engine (a no-op that
 *                      says so for a real Redis, which is shared)
 * Every protocol answer carries a new `upstash-sync-token` (a counter). `Upstash-Encoding: base64`
 * switches on base64 strings (redis/wire.ts); `Upstash-Response-Format` other than json → 400.
 *
 * Commands (names and keywords in any case):
 *   server   PING ECHO TIME DBSIZE FLUSHDB FLUSHALL (the last two: in-memory engine only)
 *   strings  GET SET(EX PX EXAT PXAT NX XX GET KEEPTTL) SETNX SETEX PSETEX GETDEL MGET MSET APPEND STRLEN
 *            INCR INCRBY INCRBYFLOAT DECR DECRBY
 *   keys     DEL UNLINK EXISTS TYPE KEYS SCAN(MATCH COUNT TYPE) EXPIRE PEXPIRE EXPIREAT PEXPIREAT
 *            (NX XX GT LT) TTL PTTL PERSIST
 *   lists    LPUSH RPUSH LPOP RPOP (count) LRANGE LLEN LTRIM LINDEX LSET LREM
 *   hashes   HSET HMSET HSETNX HGET HMGET HGETALL HDEL HEXISTS HINCRBY HINCRBYFLOAT HKEYS HVALS HLEN HSCAN
 *   sets     SADD SREM SMEMBERS SISMEMBER SMISMEMBER SCARD SSCAN SINTER SUNION
 *   zsets    ZADD(NX XX GT LT CH INCR) ZREM ZSCORE ZMSCORE ZINCRBY ZCARD ZCOUNT ZRANK ZREVRANK ZPOPMIN
 *            ZPOPMAX ZRANGE(BYSCORE REV LIMIT WITHSCORES; no BYLEX) ZREVRANGE ZRANGEBYSCORE
 *            ZREVRANGEBYSCORE ZREMRANGEBYSCORE ZREMRANGEBYRANK ZSCAN
 *   scripts  EVAL EVALSHA EVAL_RO EVALSHA_RO SCRIPT LOAD|EXISTS|FLUSH (Lua via fengari, in memory)
 * Any other command → "ERR unknown command '<name>' (not supported by the local Upstash Redis REST
 * server)", with either engine.
 *
 * Engines (redis/engine.ts): in memory (our own keyspace, TTLs on the server clock, so tests advance
 * the clock instead of sleeping), or with `redisUrl` a pass-through to a real Redis via ioredis.
 */
import type { Engine, EngineKind } from './redis/engine.js';
import { MemoryEngine } from './redis/memory-engine.js';
import { RealEngine } from './redis/real-engine.js';
import { decodeBatch, decodeCommand, envelope, WireError } from './redis/wire.js';
import { pathCommand } from './redis/path-form.js';
import {
  createClock, startLocalServer, type Faults, type LocalClock, type LocalRequest, type LocalResponse, type LocalServer,
} from './server.js';

export interface RedisRestOptions {
  token: string;
  port?: number;
  host?: string;
  /** A real Redis to pass commands to (e.g. redis://127.0.0.1:6379); without it, the in-memory engine. */
  redisUrl?: string;
  clock?: LocalClock;
  faults?: Faults;
}

const fail = (status: number, error: string): LocalResponse => ({ status, body: { error } });

async function runCommands(engine: Engine, req: LocalRequest, base64: boolean): Promise<LocalResponse> {
  // Only the JSON routes parse the body; in the path form it is a raw argument.
  const parsed = req.path === '/' || req.path === '/pipeline' || req.path === '/multi-exec' ? req.json() : undefined;
  if (req.path === '/pipeline') {
    const replies = await engine.pipeline(decodeBatch(parsed));
    return { status: 200, body: replies.map((r) => envelope(r, base64)) };
  }
  if (req.path === '/multi-exec') {
    const result = await engine.multi(decodeBatch(parsed));
    if ('discarded' in result) return fail(400, result.discarded);
    return { status: 200, body: result.replies.map((r) => envelope(r, base64)) };
  }
  const reply = await engine.exec(req.path === '/' ? decodeCommand(parsed) : pathCommand(req));
  return { status: reply.kind === 'error' ? 400 : 200, body: envelope(reply, base64) };
}

function handler(engine: Engine) {
  return async (req: LocalRequest): Promise<LocalResponse> => {
    if (!['GET', 'POST', 'PUT', 'HEAD'].includes(req.method)) return fail(405, 'Method Not Allowed');
    if (/^\/(p?subscribe|monitor)(\/|$)/i.test(req.path)) {
      return fail(400, `ERR ${req.path.split('/')[1]} is not supported by the local Upstash Redis REST server`);
    }
    const format = String(req.headers['upstash-response-format'] ?? 'json').toLowerCase();
    if (format !== 'json') return fail(400, `ERR Upstash-Response-Format '${format}' is not supported by the local server`);
    const base64 = String(req.headers['upstash-encoding'] ?? '').toLowerCase() === 'base64';
    try {
      return await runCommands(engine, req, base64);
    } catch (e) {
      if (e instanceof WireError) return fail(400, e.message);
      if (e instanceof SyntaxError) return fail(400, `ERR request body is not valid JSON: ${e.message}`);
      throw e;
    }
  };
}

export async function startRedisRest(opts: RedisRestOptions): Promise<LocalServer & { engine: EngineKind }> {
  const clock = opts.clock ?? createClock();
  const engine: Engine = opts.redisUrl ? await RealEngine.connect(opts.redisUrl) : new MemoryEngine(() => clock.now());
  const handle = handler(engine);
  // The SDK only checks that the token changes (§1.9); a strongly consistent server can ignore it.
  let syncToken = 0;
  let log: LocalServer['log'] | undefined;

  const server = await startLocalServer({
    name: 'redis-rest',
    token: opts.token,
    port: opts.port,
    host: opts.host,
    clock,
    faults: opts.faults,
    handle: async (req) => {
      const res = await handle(req);
      return { ...res, headers: { ...res.headers, 'upstash-sync-token': String(++syncToken) } };
    },
    faultResponse: () => fail(503, 'ERR local fault injected'),
    unauthorized: () => fail(401, 'Unauthorized'),
    state: () => ({ engine: engine.kind }),
    reset: async () => {
      await engine.reset();
    },
    // State and reset are async for the real engine, so they are answered here, before server.ts's own.
    control: async (req) => {
      if (req.method === 'GET' && req.path === '/_local/state') {
        return { status: 200, body: { engine: engine.kind, keys: await engine.keyCount() } };
      }
      if (req.method === 'POST' && req.path === '/_local/reset') {
        const result = await engine.reset();
        if (log) log.length = 0;
        return { status: 200, body: { ok: true, engine: engine.kind, ...result } };
      }
      return undefined;
    },
  });
  log = server.log;
  return {
    ...server,
    engine: engine.kind,
    close: async () => {
      await server.close();
      await engine.close();
    },
  };
}
