/** Connection and server commands: PING, ECHO, TIME, DBSIZE, FLUSHDB, FLUSHALL. */
import { keyword } from './args.js';
import type { CommandTable, Ctx } from './command.js';
import { array, bulk, CommandError, ERR, int, OK, status, type Reply } from './reply.js';

function flush(ctx: Ctx, [mode]: Buffer[]): Reply {
  if (mode !== undefined && !['ASYNC', 'SYNC'].includes(keyword(mode))) throw new CommandError(ERR.syntax);
  ctx.ks.clear();
  return OK;
}

export const serverCommands: CommandTable = {
  // PING with a message answers a bulk string, without one the status PONG (which must be encoded).
  ping: { arity: -1, run: (_ctx, [msg]) => (msg === undefined ? status('PONG') : bulk(msg)) },
  echo: { arity: 2, run: (_ctx, [msg]) => bulk(msg as Buffer) },
  time: {
    arity: 1,
    // The server clock, so tests that advance it see TIME move too (and Lua scripts reading TIME).
    run: (ctx) => {
      const ms = ctx.now();
      return array([bulk(String(Math.floor(ms / 1000))), bulk(String((ms % 1000) * 1000))]);
    },
  },
  dbsize: { arity: 1, run: (ctx) => int(ctx.ks.size()) },
  flushdb: { arity: -1, run: flush, write: true },
  flushall: { arity: -1, run: flush, write: true },
};
