/**
 * The pass-through engine: the same supported commands, run on a real Redis through ioredis.
 *
 * The machine's Redis is shared, so this engine refuses FLUSHDB/FLUSHALL and its reset is a no-op.
 * Command names are sent upper-case: ioredis keys its reply transformers (hgetall → object) by the
 * exact lower-case name, and upper-case bypasses them, keeping RESP2's flat arrays.
 */
import IORedis from 'ioredis';

// The default export: Vite's loader (test global setup) does not see ioredis's CommonJS named exports.
type Redis = IORedis;
import { lookup, queueError } from './commands.js';
import { discardText, type Engine, type MultiResult } from './engine.js';
import { CommandError, ERR, error, int, type Reply } from './reply.js';
import { upstashToRedis } from './shebang.js';

/**
 * Commands whose string reply is a RESP status. ioredis hands statuses and bulk strings over alike;
 * the difference only shows in the top-level "OK", which may go out un-encoded (§1.6).
 */
const STATUS_REPLIES = new Set(['set', 'setex', 'psetex', 'mset', 'lset', 'ltrim', 'hmset', 'ping', 'type', 'script']);
const REFUSED = new Set(['flushdb', 'flushall']);

type Raw = Buffer | string | number | null | Error | Raw[];

function fromIoredis(raw: Raw, statusReply: boolean): Reply {
  if (raw === null || raw === undefined) return { kind: 'nil' };
  if (typeof raw === 'number') return int(raw);
  if (raw instanceof Error) return error(raw.message);
  if (Array.isArray(raw)) return { kind: 'array', items: raw.map((r) => fromIoredis(r, false)) };
  const bytes = typeof raw === 'string' ? Buffer.from(raw) : raw;
  return statusReply ? { kind: 'status', value: bytes.toString('utf8') } : { kind: 'bulk', value: bytes };
}

export class RealEngine implements Engine {
  readonly kind = 'redis' as const;

  /** SHA-1 the client knows a script by → SHA-1 of the text the real Redis caches (shebang.ts). */
  private readonly shas = new Map<string, string>();

  private constructor(private readonly redis: Redis) {}

  /**
   * Scripts with Upstash-only shebang flags go to Redis without them; EVALSHA of such a script names
   * the SHA-1 Redis knows it by. After a restart the map is empty: EVALSHA answers NOSCRIPT and the
   * client's EVAL fills it again.
   */
  private toRedis(args: Buffer[]): Buffer[] {
    const name = (args[0] as Buffer).toString('utf8').toLowerCase();
    const isLoad = name === 'script' && args[1]?.toString('utf8').toLowerCase() === 'load';
    const at = name === 'eval' || name === 'eval_ro' || name === 'evalsha' || name === 'evalsha_ro' ? 1 : isLoad ? 2 : -1;
    const arg = at === -1 ? undefined : args[at];
    if (!arg) return args;
    const out = [...args];
    if (name.startsWith('evalsha')) {
      const mapped = this.shas.get(arg.toString('latin1').toLowerCase());
      if (mapped) out[at] = Buffer.from(mapped);
      return out;
    }
    const rewritten = upstashToRedis(arg);
    if (!rewritten) return args;
    this.shas.set(rewritten.sha, rewritten.redisSha);
    out[at] = rewritten.script;
    return out;
  }

  static async connect(url: string): Promise<RealEngine> {
    const redis = new IORedis(url, { lazyConnect: true, maxRetriesPerRequest: 1 });
    await redis.connect();
    return new RealEngine(redis);
  }

  /** Why a command may not go through, as the in-memory engine would say it; undefined if it may. */
  private refusal(args: Buffer[]): string | undefined {
    const raw = args[0]?.toString('utf8') ?? '';
    const name = raw.toLowerCase();
    if (!lookup(name)) return ERR.unknownCommand(raw);
    if (REFUSED.has(name)) return `ERR '${name}' is refused by the local server on a shared real Redis (memory engine only)`;
    return undefined;
  }

  async exec(args: Buffer[]): Promise<Reply> {
    const refused = this.refusal(args);
    if (refused) return error(refused);
    const name = (args[0] as Buffer).toString('utf8').toLowerCase();
    if (name === 'unlink' && args.length === 1) return int(0); // Upstash accepts UNLINK without keys
    try {
      const sent = this.toRedis(args);
      const raw = (await this.redis.callBuffer(name.toUpperCase(), ...sent.slice(1))) as Raw;
      const reply = fromIoredis(raw, STATUS_REPLIES.has(name));
      // SCRIPT LOAD of a rewritten script: Redis answers the SHA-1 of what it cached, the client expects that of what it sent.
      const rewritten = name === 'script' && sent !== args && reply.kind !== 'error' ? upstashToRedis(args[2] as Buffer) : undefined;
      return rewritten ? { kind: 'bulk', value: Buffer.from(rewritten.sha) } : reply;
    } catch (e) {
      return error(e instanceof Error ? e.message : String(e));
    }
  }

  /** Sent together: ioredis writes them in order on one connection, so Redis runs them in order. */
  async pipeline(commands: Buffer[][]): Promise<Reply[]> {
    return Promise.all(commands.map((c) => this.exec(c)));
  }

  async multi(commands: Buffer[][]): Promise<MultiResult> {
    for (const [i, c] of commands.entries()) {
      const refused = queueError(c) ?? this.refusal(c);
      if (refused) return { discarded: discardText(i, refused) };
    }
    const tx = this.redis.multi();
    try {
      for (const c of commands) tx.callBuffer((c[0] as Buffer).toString('utf8').toUpperCase(), ...this.toRedis(c).slice(1));
    } catch (e) {
      if (e instanceof CommandError) return { discarded: discardText(undefined, e.message) };
      throw e;
    }
    try {
      const results = (await tx.exec()) ?? [];
      return {
        replies: results.map(([err, value], i) => {
          if (err) return error(err.message);
          const name = (commands[i]?.[0] as Buffer).toString('utf8').toLowerCase();
          return fromIoredis(value as Raw, STATUS_REPLIES.has(name));
        }),
      };
    } catch (e) {
      const previous = (e as { previousErrors?: Error[] }).previousErrors?.[0]?.message;
      return { discarded: previous ? discardText(undefined, previous) : e instanceof Error ? e.message : String(e) };
    }
  }

  /** DBSIZE of the whole (shared) database, not just this server's keys. */
  async keyCount(): Promise<number> {
    return this.redis.dbsize();
  }

  async reset(): Promise<{ flushed: boolean; note: string }> {
    return { flushed: false, note: 'real Redis is shared: reset does not flush it; delete your own keys' };
  }

  async close(): Promise<void> {
    await this.redis.quit();
  }
}
