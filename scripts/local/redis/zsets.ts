/**
 * Sorted-set commands besides the ZRANGE family: ZADD (NX, XX, GT, LT, CH, INCR), ZREM, ZSCORE,
 * ZMSCORE, ZINCRBY, ZCARD, ZCOUNT, ZRANK, ZREVRANK, ZPOPMIN, ZPOPMAX, ZREMRANGEBYSCORE,
 * ZREMRANGEBYRANK, ZSCAN. Scores are JS doubles; replies print them like Redis 7.0 (`%.17g`).
 */
import { bin, formatDouble, keyword, parseFloatArg, parseInteger, unbin } from './args.js';
import type { CommandTable, Ctx } from './command.js';
import { array, bulk, CommandError, ERR, int, NIL, type Reply } from './reply.js';
import { parseScanArgs, scanReply } from './scan.js';
import { byRank, byScore, entriesReply, parseBound, requireNotNaN, scoreReply, sortedEntries } from './zset-order.js';
import { zaddFlags } from './zadd.js';

const empty = () => new Map<string, number>();

function zadd(ctx: Ctx, [key, ...rest]: Buffer[]): Reply {
  const { flags, pairs } = zaddFlags(rest);
  const parsed = pairs.map(([s, m]) => [parseFloatArg(s), bin(m)] as const); // all parsed before any write
  const z = ctx.ks.upsert(key as Buffer, 'zset', empty);
  let counted = 0;
  let incrResult: number | undefined;
  for (const [score, member] of parsed) {
    const current = z.get(member);
    if ((flags.nx && current !== undefined) || (flags.xx && current === undefined)) continue;
    const next = flags.incr ? requireNotNaN((current ?? 0) + score) : score;
    if (current !== undefined && ((flags.gt && !(next > current)) || (flags.lt && !(next < current)))) continue;
    if (current === undefined || (flags.ch && next !== current)) counted++;
    z.set(member, next);
    incrResult = next;
  }
  ctx.ks.dropIfEmpty(key as Buffer);
  if (flags.incr) return scoreReply(incrResult);
  return int(counted);
}

function zincrby(ctx: Ctx, [key, by, member]: Buffer[]): Reply {
  const delta = parseFloatArg(by as Buffer);
  const z = ctx.ks.upsert(key as Buffer, 'zset', empty);
  const m = bin(member as Buffer);
  const next = requireNotNaN((z.get(m) ?? 0) + delta);
  z.set(m, next);
  return bulk(formatDouble(next));
}

function zrem(ctx: Ctx, [key, ...members]: Buffer[]): Reply {
  const z = ctx.ks.read(key as Buffer, 'zset');
  if (!z) return int(0);
  const removed = members.filter((m) => z.delete(bin(m))).length;
  ctx.ks.dropIfEmpty(key as Buffer);
  return int(removed);
}

function removeEntries(ctx: Ctx, key: Buffer, pick: (z: Map<string, number>) => string[]): Reply {
  const z = ctx.ks.read(key, 'zset');
  if (!z) return int(0);
  const gone = pick(z);
  for (const m of gone) z.delete(m);
  ctx.ks.dropIfEmpty(key);
  return int(gone.length);
}

function rank(rev: boolean) {
  return (ctx: Ctx, [key, member, withScore]: Buffer[]): Reply => {
    if (withScore !== undefined && keyword(withScore) !== 'WITHSCORE') throw new CommandError(ERR.syntax);
    const entries = sortedEntries(ctx.ks.read(key as Buffer, 'zset'));
    if (rev) entries.reverse();
    const i = entries.findIndex(([m]) => m === bin(member as Buffer));
    if (i < 0) return NIL;
    return withScore ? array([int(i), bulk(formatDouble((entries[i] as [string, number])[1]))]) : int(i);
  };
}

function pop(max: boolean) {
  return (ctx: Ctx, [key, rawCount]: Buffer[]): Reply => {
    const count = rawCount === undefined ? 1 : parseInteger(rawCount);
    if (count < 0) throw new CommandError('ERR value is out of range, must be positive');
    const z = ctx.ks.read(key as Buffer, 'zset');
    const entries = sortedEntries(z);
    if (max) entries.reverse();
    const taken = entries.slice(0, count);
    for (const [m] of taken) z?.delete(m);
    ctx.ks.dropIfEmpty(key as Buffer);
    return entriesReply(taken, true);
  };
}

export const zsetCommands: CommandTable = {
  zadd: { arity: -4, run: zadd, write: true },
  zincrby: { arity: 4, run: zincrby, write: true },
  zrem: { arity: -3, run: zrem, write: true },
  zscore: { arity: 3, run: (ctx, [key, m]) => scoreReply(ctx.ks.read(key as Buffer, 'zset')?.get(bin(m as Buffer))) },
  zmscore: {
    arity: -3,
    run: (ctx, [key, ...ms]) => {
      const z = ctx.ks.read(key as Buffer, 'zset');
      return array(ms.map((m) => scoreReply(z?.get(bin(m)))));
    },
  },
  zcard: { arity: 2, run: (ctx, [key]) => int(ctx.ks.read(key as Buffer, 'zset')?.size ?? 0) },
  zcount: {
    arity: 4,
    run: (ctx, [key, min, max]) =>
      int(byScore(sortedEntries(ctx.ks.read(key as Buffer, 'zset')), parseBound(min as Buffer), parseBound(max as Buffer)).length),
  },
  zrank: { arity: -3, run: rank(false) },
  zrevrank: { arity: -3, run: rank(true) },
  zpopmin: { arity: -2, run: pop(false), write: true },
  zpopmax: { arity: -2, run: pop(true), write: true },
  zremrangebyscore: {
    arity: 4,
    write: true,
    run: (ctx, [key, min, max]) =>
      removeEntries(ctx, key as Buffer, (z) =>
        byScore(sortedEntries(z), parseBound(min as Buffer), parseBound(max as Buffer)).map(([m]) => m)),
  },
  zremrangebyrank: {
    arity: 4,
    write: true,
    run: (ctx, [key, start, stop]) =>
      removeEntries(ctx, key as Buffer, (z) =>
        byRank(sortedEntries(z), parseInteger(start as Buffer), parseInteger(stop as Buffer)).map(([m]) => m)),
  },
  zscan: {
    arity: -3,
    run: (ctx, [key, cursor, ...rest]) => {
      const o = parseScanArgs(cursor as Buffer, rest, false);
      const z = ctx.ks.read(key as Buffer, 'zset') ?? empty();
      const names = sortedEntries(z).map(([m]) => m);
      return scanReply(names, o, (m) => [bulk(unbin(m)), bulk(formatDouble(z.get(m) as number))]);
    },
  },
};
