/** ZADD's option prefix, validated with Redis 7's exact error texts. */
import { keyword } from './args.js';
import { CommandError, ERR } from './reply.js';

export interface ZaddFlags {
  nx: boolean;
  xx: boolean;
  gt: boolean;
  lt: boolean;
  ch: boolean;
  incr: boolean;
}

/** Splits `[NX|XX] [GT|LT] [CH] [INCR] score member ...` into flags and (score, member) pairs. */
export function zaddFlags(rest: Buffer[]): { flags: ZaddFlags; pairs: [Buffer, Buffer][] } {
  const flags: ZaddFlags = { nx: false, xx: false, gt: false, lt: false, ch: false, incr: false };
  let i = 0;
  for (; i < rest.length; i++) {
    const kw = keyword(rest[i]);
    if (kw === 'NX') flags.nx = true;
    else if (kw === 'XX') flags.xx = true;
    else if (kw === 'GT') flags.gt = true;
    else if (kw === 'LT') flags.lt = true;
    else if (kw === 'CH') flags.ch = true;
    else if (kw === 'INCR') flags.incr = true;
    else break;
  }
  const tail = rest.slice(i);
  if (tail.length === 0 || tail.length % 2 !== 0) throw new CommandError(ERR.syntax);
  if (flags.nx && flags.xx) throw new CommandError('ERR XX and NX options at the same time are not compatible');
  if ((flags.gt && flags.lt) || (flags.nx && (flags.gt || flags.lt))) {
    throw new CommandError('ERR GT, LT, and/or NX options at the same time are not compatible');
  }
  if (flags.incr && tail.length > 2) throw new CommandError('ERR INCR option supports a single increment-element pair');
  const pairs: [Buffer, Buffer][] = [];
  for (let j = 0; j < tail.length; j += 2) pairs.push([tail[j] as Buffer, tail[j + 1] as Buffer]);
  return { flags, pairs };
}
