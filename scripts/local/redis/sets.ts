/** Set commands: SADD, SREM, SMEMBERS, SISMEMBER, SMISMEMBER, SCARD, SSCAN, SINTER, SUNION. */
import { bin, unbin } from './args.js';
import type { CommandTable, Ctx } from './command.js';
import { array, bool, bulk, bulkArray, int, type Reply } from './reply.js';
import { parseScanArgs, scanReply } from './scan.js';

const members = (s: Iterable<string>): Reply => bulkArray([...s].sort().map(unbin));

function sadd(ctx: Ctx, [key, ...items]: Buffer[]): Reply {
  const set = ctx.ks.upsert(key as Buffer, 'set', () => new Set<string>());
  let added = 0;
  for (const m of items.map(bin)) {
    if (!set.has(m)) added++;
    set.add(m);
  }
  return int(added);
}

function srem(ctx: Ctx, [key, ...items]: Buffer[]): Reply {
  const set = ctx.ks.read(key as Buffer, 'set');
  if (!set) return int(0);
  const removed = items.filter((m) => set.delete(bin(m))).length;
  ctx.ks.dropIfEmpty(key as Buffer);
  return int(removed);
}

/** SINTER: every key is type-checked first, so a WRONGTYPE anywhere fails the whole command. */
function sinter(ctx: Ctx, keys: Buffer[]): Reply {
  const sets = keys.map((k) => ctx.ks.read(k, 'set'));
  if (sets.some((s) => s === undefined)) return array([]);
  const [first, ...others] = sets as Set<string>[];
  return members([...(first ?? [])].filter((m) => others.every((s) => s.has(m))));
}

function sunion(ctx: Ctx, keys: Buffer[]): Reply {
  const out = new Set<string>();
  for (const k of keys) for (const m of ctx.ks.read(k, 'set') ?? []) out.add(m);
  return members(out);
}

export const setCommands: CommandTable = {
  sadd: { arity: -3, run: sadd, write: true },
  srem: { arity: -3, run: srem, write: true },
  smembers: { arity: 2, run: (ctx, [key]) => members(ctx.ks.read(key as Buffer, 'set') ?? []) },
  sismember: { arity: 3, run: (ctx, [key, m]) => bool(ctx.ks.read(key as Buffer, 'set')?.has(bin(m as Buffer)) ?? false) },
  smismember: {
    arity: -3,
    run: (ctx, [key, ...ms]) => {
      const set = ctx.ks.read(key as Buffer, 'set');
      return array(ms.map((m) => bool(set?.has(bin(m)) ?? false)));
    },
  },
  scard: { arity: 2, run: (ctx, [key]) => int(ctx.ks.read(key as Buffer, 'set')?.size ?? 0) },
  sscan: {
    arity: -3,
    run: (ctx, [key, cursor, ...rest]) => {
      const o = parseScanArgs(cursor as Buffer, rest, false);
      return scanReply([...(ctx.ks.read(key as Buffer, 'set') ?? [])].sort(), o, (m) => [bulk(unbin(m))]);
    },
  },
  sinter: { arity: -2, run: sinter },
  sunion: { arity: -2, run: sunion },
};
