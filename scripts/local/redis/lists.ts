/** List commands: LPUSH, RPUSH, LPOP, RPOP (with count), LRANGE, LLEN, LTRIM, LINDEX, LSET, LREM. */
import { parseInteger } from './args.js';
import type { CommandTable, Ctx } from './command.js';
import { bulkArray, bulkOrNil, CommandError, ERR, int, NIL, OK, type Reply } from './reply.js';

/** Redis's index normalisation: negative counts from the end; returns [start, stop] clamped. */
export function clampRange(start: number, stop: number, len: number): [number, number] {
  let s = start < 0 ? len + start : start;
  let e = stop < 0 ? len + stop : stop;
  if (s < 0) s = 0;
  if (e >= len) e = len - 1;
  return [s, e];
}

function push(left: boolean) {
  return (ctx: Ctx, [key, ...values]: Buffer[]): Reply => {
    const list = ctx.ks.upsert(key as Buffer, 'list', () => []);
    if (left) for (const v of values) list.unshift(v);
    else list.push(...values);
    return int(list.length);
  };
}

function pop(left: boolean) {
  return (ctx: Ctx, [key, rawCount]: Buffer[]): Reply => {
    const count = rawCount === undefined ? undefined : parseInteger(rawCount, 'ERR value is out of range, must be positive');
    if (count !== undefined && count < 0) throw new CommandError('ERR value is out of range, must be positive');
    const list = ctx.ks.read(key as Buffer, 'list');
    if (!list) return NIL;
    const n = Math.min(count ?? 1, list.length);
    const taken = left ? list.splice(0, n) : list.splice(list.length - n, n).reverse();
    ctx.ks.dropIfEmpty(key as Buffer);
    return count === undefined ? bulkOrNil(taken[0]) : bulkArray(taken);
  };
}

function lrange(ctx: Ctx, [key, start, stop]: Buffer[]): Reply {
  const list = ctx.ks.read(key as Buffer, 'list') ?? [];
  const [s, e] = clampRange(parseInteger(start as Buffer), parseInteger(stop as Buffer), list.length);
  return bulkArray(s > e ? [] : list.slice(s, e + 1));
}

function ltrim(ctx: Ctx, [key, start, stop]: Buffer[]): Reply {
  const list = ctx.ks.read(key as Buffer, 'list');
  if (!list) return OK;
  const [s, e] = clampRange(parseInteger(start as Buffer), parseInteger(stop as Buffer), list.length);
  const kept = s > e ? [] : list.slice(s, e + 1);
  list.splice(0, list.length, ...kept);
  ctx.ks.dropIfEmpty(key as Buffer);
  return OK;
}

function position(raw: Buffer, len: number): number {
  const i = parseInteger(raw);
  return i < 0 ? len + i : i;
}

function lset(ctx: Ctx, [key, index, value]: Buffer[]): Reply {
  const list = ctx.ks.read(key as Buffer, 'list');
  if (!list) throw new CommandError(ERR.noSuchKey);
  const i = position(index as Buffer, list.length);
  if (i < 0 || i >= list.length) throw new CommandError(ERR.indexOutOfRange);
  list[i] = value as Buffer;
  return OK;
}

/** LREM: count > 0 removes from the head, < 0 from the tail, 0 removes all matches. */
function lrem(ctx: Ctx, [key, rawCount, value]: Buffer[]): Reply {
  const count = parseInteger(rawCount as Buffer);
  const list = ctx.ks.read(key as Buffer, 'list');
  if (!list) return int(0);
  const limit = count === 0 ? Infinity : Math.abs(count);
  const order = [...list.keys()];
  if (count < 0) order.reverse();
  const drop = new Set<number>();
  for (const i of order) {
    if (drop.size >= limit) break;
    if ((list[i] as Buffer).equals(value as Buffer)) drop.add(i);
  }
  const kept = list.filter((_, i) => !drop.has(i));
  list.splice(0, list.length, ...kept);
  ctx.ks.dropIfEmpty(key as Buffer);
  return int(drop.size);
}

export const listCommands: CommandTable = {
  lpush: { arity: -3, run: push(true), write: true },
  rpush: { arity: -3, run: push(false), write: true },
  lpop: { arity: -2, run: pop(true), write: true },
  rpop: { arity: -2, run: pop(false), write: true },
  lrange: { arity: 4, run: lrange },
  llen: { arity: 2, run: (ctx, [key]) => int(ctx.ks.read(key as Buffer, 'list')?.length ?? 0) },
  ltrim: { arity: 4, run: ltrim, write: true },
  lindex: {
    arity: 3,
    run: (ctx, [key, index]) => {
      const list = ctx.ks.read(key as Buffer, 'list') ?? [];
      return bulkOrNil(list[position(index as Buffer, list.length)]);
    },
  },
  lset: { arity: 4, run: lset, write: true },
  lrem: { arity: 4, run: lrem, write: true },
};
