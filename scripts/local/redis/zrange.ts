/**
 * The ZRANGE family: ZRANGE (rank or BYSCORE, REV, LIMIT, WITHSCORES), ZREVRANGE, ZRANGEBYSCORE and
 * ZREVRANGEBYSCORE. BYLEX is not implemented and answers a syntax error that says so.
 */
import { keyword, parseInteger } from './args.js';
import type { CommandTable, Ctx } from './command.js';
import { CommandError, ERR, type Reply } from './reply.js';
import { applyLimit, byRank, byScore, entriesReply, parseBound, sortedEntries } from './zset-order.js';

interface RangeQuery {
  key: Buffer;
  start: Buffer;
  stop: Buffer;
  byScore: boolean;
  rev: boolean;
  withScores: boolean;
  limit?: [number, number];
}

function parseOptions(q: RangeQuery, opts: Buffer[], allowed: Set<string>): RangeQuery {
  for (let i = 0; i < opts.length; i++) {
    const kw = keyword(opts[i]);
    if (!allowed.has(kw)) {
      if (kw === 'BYLEX') throw new CommandError('ERR syntax error (BYLEX is not supported by the local server)');
      throw new CommandError(ERR.syntax);
    }
    if (kw === 'BYSCORE') q.byScore = true;
    else if (kw === 'REV') q.rev = true;
    else if (kw === 'WITHSCORES') q.withScores = true;
    else {
      const [offset, count] = [opts[i + 1], opts[i + 2]];
      if (!offset || !count) throw new CommandError(ERR.syntax);
      q.limit = [parseInteger(offset), parseInteger(count)];
      i += 2;
    }
  }
  return q;
}

/**
 * Runs a normalised query. With REV and BYSCORE the caller passes (max, min) as Redis's syntax does.
 * LIMIT is also honoured in rank mode: Upstash accepts that where Redis refuses (SRH's notes).
 */
function runRange(ctx: Ctx, q: RangeQuery): Reply {
  let entries = sortedEntries(ctx.ks.read(q.key, 'zset'));
  if (q.rev) entries = entries.reverse();
  if (q.byScore) {
    const [lo, hi] = q.rev ? [q.stop, q.start] : [q.start, q.stop];
    entries = byScore(entries, parseBound(lo), parseBound(hi));
  } else {
    entries = byRank(entries, parseInteger(q.start), parseInteger(q.stop));
  }
  if (q.limit) entries = applyLimit(entries, ...q.limit);
  return entriesReply(entries, q.withScores);
}

function query(args: Buffer[], byScoreFlag: boolean, rev: boolean): RangeQuery {
  const [key, start, stop] = args as [Buffer, Buffer, Buffer];
  return { key, start, stop, byScore: byScoreFlag, rev, withScores: false };
}

const ZRANGE_OPTS = new Set(['BYSCORE', 'REV', 'LIMIT', 'WITHSCORES']);
const BYSCORE_OPTS = new Set(['LIMIT', 'WITHSCORES']);

export const zrangeCommands: CommandTable = {
  zrange: {
    arity: -4,
    run: (ctx, args) => runRange(ctx, parseOptions(query(args, false, false), args.slice(3), ZRANGE_OPTS)),
  },
  zrevrange: {
    arity: -4,
    run: (ctx, args) => runRange(ctx, parseOptions(query(args, false, true), args.slice(3), new Set(['WITHSCORES']))),
  },
  zrangebyscore: {
    arity: -4,
    run: (ctx, args) => runRange(ctx, parseOptions(query(args, true, false), args.slice(3), BYSCORE_OPTS)),
  },
  zrevrangebyscore: {
    arity: -4,
    run: (ctx, args) => runRange(ctx, parseOptions(query(args, true, true), args.slice(3), BYSCORE_OPTS)),
  },
};
