/**
 * Counter commands: INCR, INCRBY, DECR, DECRBY, INCRBYFLOAT. The value is parsed as Redis does
 * (int64 for the integer family, so overflow is an error rather than silent precision loss) and the
 * key keeps its TTL, because Redis updates the value in place.
 */
import { bin, checkInt64, formatHumanFloat, parseBigInt, parseFloatArg } from './args.js';
import type { CommandTable, Ctx } from './command.js';
import { bulk, CommandError, int, type Reply } from './reply.js';

function storeKeepingTtl(ctx: Ctx, key: Buffer, data: Buffer): void {
  ctx.ks.put(key, { type: 'string', data }, ctx.ks.entry(bin(key))?.expiresAt);
}

function incrBy(ctx: Ctx, key: Buffer, delta: bigint): Reply {
  const current = ctx.ks.read(key, 'string');
  const base = current === undefined ? 0n : parseBigInt(current);
  const next = checkInt64(base + delta);
  storeKeepingTtl(ctx, key, Buffer.from(next.toString()));
  return int(Number(next));
}

function incrByFloat(ctx: Ctx, [key, raw]: Buffer[]): Reply {
  const k = key as Buffer;
  const current = ctx.ks.read(k, 'string');
  const base = current === undefined ? 0 : parseFloatArg(current);
  const next = base + parseFloatArg(raw as Buffer);
  if (!Number.isFinite(next)) throw new CommandError('ERR increment would produce NaN or Infinity');
  const text = Buffer.from(formatHumanFloat(next));
  storeKeepingTtl(ctx, k, text);
  return bulk(text);
}

export const counterCommands: CommandTable = {
  incr: { arity: 2, write: true, run: (ctx, [key]) => incrBy(ctx, key as Buffer, 1n) },
  decr: { arity: 2, write: true, run: (ctx, [key]) => incrBy(ctx, key as Buffer, -1n) },
  incrby: { arity: 3, write: true, run: (ctx, [key, d]) => incrBy(ctx, key as Buffer, parseBigInt(d as Buffer)) },
  decrby: {
    arity: 3,
    write: true,
    run: (ctx, [key, d]) => incrBy(ctx, key as Buffer, -parseBigInt(d as Buffer)),
  },
  incrbyfloat: { arity: 3, write: true, run: incrByFloat },
};
