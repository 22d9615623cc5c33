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
import { ERR, error, int, type Reply } from './reply.js';

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

  private constructor(private readonly redis: Redis) {}

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
      const raw = (await this.redis.callBuffer(name.toUpperCase(), ...args.slice(1))) as Raw;
      return fromIoredis(raw, STATUS_REPLIES.has(name));
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
    for (const c of commands) tx.callBuffer((c[0] as Buffer).toString('utf8').toUpperCase(), ...c.slice(1));
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
