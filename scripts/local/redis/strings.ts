/** String commands: GET, SET (all options), SETNX, SETEX, PSETEX, GETDEL, MGET, MSET, APPEND, STRLEN. */
import { keyword, parseInteger } from './args.js';
import type { CommandTable, Ctx } from './command.js';
import { bulkOrNil, CommandError, ERR, int, NIL, OK, array, bool, type Reply } from './reply.js';

interface SetOptions {
  condition?: 'NX' | 'XX';
  get: boolean;
  keepTtl: boolean;
  expiresAt?: number;
}

/** A positive relative or absolute expiry argument turned into epoch ms on the server clock. */
export function expiryArg(ctx: Ctx, unit: string, raw: Buffer, command: string): number {
  const n = parseInteger(raw);
  if (n <= 0) throw new CommandError(`ERR invalid expire time in '${command}' command`);
  switch (unit) {
    case 'EX':
      return ctx.now() + n * 1000;
    case 'PX':
      return ctx.now() + n;
    case 'EXAT':
      return n * 1000;
    default:
      return n; // PXAT
  }
}

function parseSetOptions(ctx: Ctx, args: Buffer[]): SetOptions {
  const o: SetOptions = { get: false, keepTtl: false };
  let expirySeen = false;
  for (let i = 2; i < args.length; i++) {
    const kw = keyword(args[i]);
    if ((kw === 'NX' || kw === 'XX') && !o.condition) o.condition = kw;
    else if (kw === 'GET' && !o.get) o.get = true;
    else if (kw === 'KEEPTTL' && !expirySeen) {
      o.keepTtl = true;
      expirySeen = true;
    } else if (['EX', 'PX', 'EXAT', 'PXAT'].includes(kw) && !expirySeen && args[i + 1]) {
      o.expiresAt = expiryArg(ctx, kw, args[++i] as Buffer, 'set');
      expirySeen = true;
    } else throw new CommandError(ERR.syntax);
  }
  return o;
}

function set(ctx: Ctx, args: Buffer[]): Reply {
  const [key, value] = args as [Buffer, Buffer];
  const o = parseSetOptions(ctx, args);
  const entry = ctx.ks.entry(key.toString('latin1'));
  const old = o.get ? ctx.ks.read(key, 'string') : undefined; // WRONGTYPE for GET on a non-string
  const blocked = (o.condition === 'NX' && entry) || (o.condition === 'XX' && !entry);
  if (!blocked) {
    const expiresAt = o.keepTtl ? entry?.expiresAt : o.expiresAt;
    ctx.ks.put(key, { type: 'string', data: value }, expiresAt);
  }
  if (o.get) return bulkOrNil(old);
  return blocked ? NIL : OK;
}

function setWithTtl(unit: 'EX' | 'PX', name: string) {
  return (ctx: Ctx, [key, ttl, value]: Buffer[]): Reply => {
    const expiresAt = expiryArg(ctx, unit, ttl as Buffer, name);
    ctx.ks.put(key as Buffer, { type: 'string', data: value as Buffer }, expiresAt);
    return OK;
  };
}

function mset(ctx: Ctx, args: Buffer[]): Reply {
  if (args.length % 2 !== 0) throw new CommandError(ERR.wrongArgs('mset'));
  for (let i = 0; i < args.length; i += 2) {
    ctx.ks.put(args[i] as Buffer, { type: 'string', data: args[i + 1] as Buffer });
  }
  return OK;
}

function append(ctx: Ctx, [key, suffix]: Buffer[]): Reply {
  const k = key as Buffer;
  const current = ctx.ks.read(k, 'string') ?? Buffer.alloc(0);
  const next = Buffer.concat([current, suffix as Buffer]);
  ctx.ks.put(k, { type: 'string', data: next }, ctx.ks.entry(k.toString('latin1'))?.expiresAt);
  return int(next.length);
}

export const stringCommands: CommandTable = {
  get: { arity: 2, run: (ctx, [key]) => bulkOrNil(ctx.ks.read(key as Buffer, 'string')) },
  set: { arity: -3, run: set, write: true },
  setnx: {
    arity: 3,
    write: true,
    run: (ctx, [key, value]) => bool(set(ctx, [key as Buffer, value as Buffer, Buffer.from('NX')]) === OK),
  },
  setex: { arity: 4, run: setWithTtl('EX', 'setex'), write: true },
  psetex: { arity: 4, run: setWithTtl('PX', 'psetex'), write: true },
  getdel: {
    arity: 2,
    write: true,
    run: (ctx, [key]) => {
      const value = ctx.ks.read(key as Buffer, 'string');
      if (value !== undefined) ctx.ks.delete(key as Buffer);
      return bulkOrNil(value);
    },
  },
  mget: {
    arity: -2,
    // A key of another type reads as nil here, not WRONGTYPE (as in Redis).
    run: (ctx, keys) =>
      array(keys.map((k) => {
        const e = ctx.ks.entry(k.toString('latin1'));
        return e?.value.type === 'string' ? bulkOrNil(e.value.data) : NIL;
      })),
  },
  mset: { arity: -3, run: mset, write: true },
  append: { arity: 3, run: append, write: true },
  strlen: { arity: 2, run: (ctx, [key]) => int(ctx.ks.read(key as Buffer, 'string')?.length ?? 0) },
};
