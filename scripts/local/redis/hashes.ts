/**
 * Hash commands: HSET, HMSET, HSETNX, HGET, HMGET, HGETALL, HDEL, HEXISTS, HINCRBY, HINCRBYFLOAT,
 * HKEYS, HVALS, HLEN, HSCAN. Fields keep insertion order, as Redis's small (listpack) hashes do.
 */
import { bin, checkInt64, formatHumanFloat, parseBigInt, parseFloatArg, unbin } from './args.js';
import type { CommandTable, Ctx } from './command.js';
import { array, bulk, bulkArray, bulkOrNil, CommandError, ERR, int, OK, type Reply } from './reply.js';
import { parseScanArgs, scanReply } from './scan.js';

const empty = () => new Map<string, Buffer>();

function hset(name: string) {
  return (ctx: Ctx, [key, ...pairs]: Buffer[]): Reply => {
    if (pairs.length === 0 || pairs.length % 2 !== 0) throw new CommandError(ERR.wrongArgs(name));
    const hash = ctx.ks.upsert(key as Buffer, 'hash', empty);
    let added = 0;
    for (let i = 0; i < pairs.length; i += 2) {
      const field = bin(pairs[i] as Buffer);
      if (!hash.has(field)) added++;
      hash.set(field, pairs[i + 1] as Buffer);
    }
    return name === 'hmset' ? OK : int(added);
  };
}

function hdel(ctx: Ctx, [key, ...fields]: Buffer[]): Reply {
  const hash = ctx.ks.read(key as Buffer, 'hash');
  if (!hash) return int(0);
  const removed = fields.filter((f) => hash.delete(bin(f))).length;
  ctx.ks.dropIfEmpty(key as Buffer);
  return int(removed);
}

function hincrby(ctx: Ctx, [key, field, delta]: Buffer[]): Reply {
  const by = parseBigInt(delta as Buffer);
  const hash = ctx.ks.upsert(key as Buffer, 'hash', empty);
  const current = hash.get(bin(field as Buffer));
  const base = current === undefined ? 0n : parseBigInt(current, 'ERR hash value is not an integer');
  const next = checkInt64(base + by);
  hash.set(bin(field as Buffer), Buffer.from(next.toString()));
  return int(Number(next));
}

function hincrbyfloat(ctx: Ctx, [key, field, delta]: Buffer[]): Reply {
  const by = parseFloatArg(delta as Buffer);
  const hash = ctx.ks.upsert(key as Buffer, 'hash', empty);
  const current = hash.get(bin(field as Buffer));
  const next = (current === undefined ? 0 : parseFloatArg(current, 'ERR hash value is not a float')) + by;
  if (!Number.isFinite(next)) throw new CommandError('ERR increment would produce NaN or Infinity');
  const text = Buffer.from(formatHumanFloat(next));
  hash.set(bin(field as Buffer), text);
  return bulk(text);
}

function hgetall(ctx: Ctx, [key]: Buffer[]): Reply {
  const hash = ctx.ks.read(key as Buffer, 'hash') ?? empty();
  // RESP2 has no map type: a flat [field, value, ...] array, which the SDK folds into an object.
  return array([...hash].flatMap(([f, v]) => [bulk(unbin(f)), bulk(v)]));
}

export const hashCommands: CommandTable = {
  hset: { arity: -4, run: hset('hset'), write: true },
  hmset: { arity: -4, run: hset('hmset'), write: true },
  hsetnx: {
    arity: 4,
    write: true,
    run: (ctx, [key, field, value]) => {
      const hash = ctx.ks.upsert(key as Buffer, 'hash', empty);
      if (hash.has(bin(field as Buffer))) return int(0);
      hash.set(bin(field as Buffer), value as Buffer);
      return int(1);
    },
  },
  hget: { arity: 3, run: (ctx, [key, f]) => bulkOrNil(ctx.ks.read(key as Buffer, 'hash')?.get(bin(f as Buffer))) },
  hmget: {
    arity: -3,
    run: (ctx, [key, ...fields]) => {
      const hash = ctx.ks.read(key as Buffer, 'hash');
      return array(fields.map((f) => bulkOrNil(hash?.get(bin(f)))));
    },
  },
  hgetall: { arity: 2, run: hgetall },
  hdel: { arity: -3, run: hdel, write: true },
  hexists: { arity: 3, run: (ctx, [key, f]) => int(ctx.ks.read(key as Buffer, 'hash')?.has(bin(f as Buffer)) ? 1 : 0) },
  hincrby: { arity: 4, run: hincrby, write: true },
  hincrbyfloat: { arity: 4, run: hincrbyfloat, write: true },
  hkeys: { arity: 2, run: (ctx, [key]) => bulkArray([...(ctx.ks.read(key as Buffer, 'hash')?.keys() ?? [])].map(unbin)) },
  hvals: { arity: 2, run: (ctx, [key]) => bulkArray([...(ctx.ks.read(key as Buffer, 'hash')?.values() ?? [])]) },
  hlen: { arity: 2, run: (ctx, [key]) => int(ctx.ks.read(key as Buffer, 'hash')?.size ?? 0) },
  hscan: {
    arity: -3,
    run: (ctx, [key, cursor, ...rest]) => {
      const o = parseScanArgs(cursor as Buffer, rest, false);
      const hash = ctx.ks.read(key as Buffer, 'hash') ?? empty();
      return scanReply([...hash.keys()], o, (f) => [bulk(unbin(f)), bulk(hash.get(f) as Buffer)]);
    },
  },
};
