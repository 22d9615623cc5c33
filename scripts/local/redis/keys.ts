/**
 * Keyspace commands: DEL, UNLINK, EXISTS, TYPE, KEYS, SCAN, and the TTL family (EXPIRE, PEXPIRE,
 * EXPIREAT, PEXPIREAT with NX/XX/GT/LT, TTL, PTTL, PERSIST). Every deadline is server-clock ms.
 */
import { bin, keyword, parseInteger, unbin } from './args.js';
import type { CommandTable, Ctx } from './command.js';
import { bulk, CommandError, int, status, type Reply } from './reply.js';
import { globMatch, parseScanArgs, scanReply } from './scan.js';

type Unit = 's' | 'ms';

function deadline(ctx: Ctx, raw: Buffer, unit: Unit, absolute: boolean): number {
  const n = parseInteger(raw);
  const ms = unit === 's' ? n * 1000 : n;
  return absolute ? ms : ctx.now() + ms;
}

/** NX/XX/GT/LT as Redis 7 defines them; "no TTL" counts as an infinite TTL for GT and LT. */
function allowed(flag: string, current: number | undefined, next: number): boolean {
  switch (flag) {
    case '':
      return true;
    case 'NX':
      return current === undefined;
    case 'XX':
      return current !== undefined;
    case 'GT':
      return current !== undefined && next > current;
    case 'LT':
      return current === undefined || next < current;
    default:
      throw new CommandError(`ERR Unsupported option ${flag}`);
  }
}

function expire(unit: Unit, absolute: boolean) {
  return (ctx: Ctx, [key, raw, ...flags]: Buffer[]): Reply => {
    if (flags.length > 1) throw new CommandError('ERR NX and XX, GT or LT options at the same time are not compatible');
    const at = deadline(ctx, raw as Buffer, unit, absolute);
    const entry = ctx.ks.entry(bin(key as Buffer));
    if (!entry || !allowed(keyword(flags[0]), entry.expiresAt, at)) return int(0);
    // A deadline already passed deletes the key at once, as Redis does.
    if (at <= ctx.now()) ctx.ks.delete(key as Buffer);
    else entry.expiresAt = at;
    return int(1);
  };
}

function ttl(unit: Unit) {
  return (ctx: Ctx, [key]: Buffer[]): Reply => {
    const entry = ctx.ks.entry(bin(key as Buffer));
    if (!entry) return int(-2);
    if (entry.expiresAt === undefined) return int(-1);
    const left = entry.expiresAt - ctx.now();
    return int(unit === 'ms' ? left : Math.round(left / 1000));
  };
}

function del(ctx: Ctx, keys: Buffer[]): Reply {
  return int(keys.filter((k) => ctx.ks.delete(k)).length);
}

function typeName(ctx: Ctx, key: string): string {
  return ctx.ks.entry(key)?.value.type ?? 'none';
}

export const keyCommands: CommandTable = {
  del: { arity: -2, run: del, write: true },
  // Upstash accepts UNLINK without keys (SRH's compatibility notes), so arity is -1 here.
  unlink: { arity: -1, run: del, write: true },
  exists: { arity: -2, run: (ctx, keys) => int(keys.filter((k) => ctx.ks.entry(bin(k))).length) },
  type: { arity: 2, run: (ctx, [key]) => status(typeName(ctx, bin(key as Buffer))) },
  expire: { arity: -3, run: expire('s', false), write: true },
  pexpire: { arity: -3, run: expire('ms', false), write: true },
  expireat: { arity: -3, run: expire('s', true), write: true },
  pexpireat: { arity: -3, run: expire('ms', true), write: true },
  ttl: { arity: 2, run: ttl('s') },
  pttl: { arity: 2, run: ttl('ms') },
  persist: {
    arity: 2,
    write: true,
    run: (ctx, [key]) => {
      const entry = ctx.ks.entry(bin(key as Buffer));
      if (entry?.expiresAt === undefined) return int(0);
      delete entry.expiresAt;
      return int(1);
    },
  },
  keys: {
    arity: 2,
    run: (ctx, [pattern]) => {
      const p = bin(pattern as Buffer);
      return { kind: 'array', items: ctx.ks.keys().filter((k) => globMatch(p, k)).map((k) => bulk(unbin(k))) };
    },
  },
  scan: {
    arity: -2,
    run: (ctx, [cursor, ...rest]) => {
      const o = parseScanArgs(cursor as Buffer, rest, true);
      const names = ctx.ks.keys().filter((k) => o.type === undefined || typeName(ctx, k) === o.type);
      return scanReply(names, o, (k) => [bulk(unbin(k))]);
    },
  },
};
