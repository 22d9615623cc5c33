/**
 * Script shebangs (Redis 7 "function flags" for EVAL): a first line `#!lua` or `#!lua flags=a,b`.
 *
 * Redis 7 knows the flags no-writes, allow-oom, allow-stale, no-cluster and allow-cross-slot-keys;
 * Upstash also accepts `allow-key-locking`, which @upstash/ratelimit puts on every script it runs
 * (a stock Redis 7 refuses it: "Unexpected flag in script shebang"). So the local server accepts
 * both sets: the in-memory engine compiles the script without its shebang line (the line break stays,
 * so error line numbers match), and the pass-through engine drops the Upstash-only flags before the
 * script reaches a real Redis, remembering the SHA-1 the client knows it by (see `upstashToRedis`).
 */
import { createHash } from 'node:crypto';
import { CommandError } from './reply.js';

const REDIS_FLAGS = new Set(['no-writes', 'allow-oom', 'allow-stale', 'no-cluster', 'allow-cross-slot-keys']);
const UPSTASH_ONLY_FLAGS = new Set(['allow-key-locking']);

export interface Shebang {
  flags: Set<string>;
  /** The source with the shebang line emptied (its line break kept). */
  body: Buffer;
}

const sha1 = (b: Buffer) => createHash('sha1').update(b).digest('hex');

/** The shebang of a script, undefined when it has none; an unknown engine, option or flag is the command's error. */
export function readShebang(source: Buffer): Shebang | undefined {
  if (source.length < 2 || source[0] !== 0x23 || source[1] !== 0x21) return undefined; // "#!"
  const eol = source.indexOf(0x0a);
  const line = source.subarray(2, eol === -1 ? source.length : eol).toString('utf8').trim();
  const [engine = '', ...options] = line.split(/\s+/);
  if (engine.toLowerCase() !== 'lua') throw new CommandError(`ERR Could not find engine '${engine}'`);
  const flags = new Set<string>();
  for (const option of options) {
    if (!option.startsWith('flags=')) throw new CommandError(`ERR Unknown lua shebang option: ${option}`);
    for (const flag of option.slice(6).split(',').filter(Boolean)) {
      if (!REDIS_FLAGS.has(flag) && !UPSTASH_ONLY_FLAGS.has(flag)) throw new CommandError(`ERR Unexpected flag in script shebang: ${flag}`);
      flags.add(flag);
    }
  }
  return { flags, body: eol === -1 ? Buffer.alloc(0) : source.subarray(eol) };
}

/**
 * For a real Redis: the script with Upstash-only flags taken off its shebang, or undefined when it
 * needs no change. `sha` is the SHA-1 of the original (what EVALSHA will name), `redisSha` that of the
 * text Redis caches.
 */
export function upstashToRedis(source: Buffer): { sha: string; redisSha: string; script: Buffer } | undefined {
  const shebang = readShebang(source);
  if (!shebang || ![...shebang.flags].some((f) => UPSTASH_ONLY_FLAGS.has(f))) return undefined;
  const kept = [...shebang.flags].filter((f) => !UPSTASH_ONLY_FLAGS.has(f));
  const script = Buffer.concat([Buffer.from(kept.length ? `#!lua flags=${kept.join(',')}` : '#!lua'), shebang.body]);
  return { sha: sha1(source), redisSha: sha1(script), script };
}
