/**
 * Scripting commands: EVAL, EVALSHA, EVAL_RO, EVALSHA_RO, SCRIPT LOAD | EXISTS | FLUSH.
 *
 * EVAL caches the script under its SHA-1 like Redis does, so the SDK's createScript() — EVALSHA
 * first, EVAL after a NOSCRIPT — finds it with EVALSHA the next time (UPSTASH_PROTOCOLS.md §1.10).
 * A `#!lua flags=…` shebang is accepted as Redis 7 and Upstash accept it (shebang.ts); `no-writes`
 * makes the script read-only.
 */
import { keyword, parseInteger } from './args.js';
import { arityOk, type CommandTable, type Ctx } from './command.js';
import { array, bool, bulk, CommandError, ERR, error, OK, type Reply } from './reply.js';

/** Commands a script may not run, as in Redis (scripts cannot nest or manage the script cache). */
const NOT_IN_SCRIPTS = new Set(['eval', 'evalsha', 'eval_ro', 'evalsha_ro', 'script']);

/** The redis.call policy: which commands a script may run, with Redis's own error texts. */
function scriptCall(ctx: Ctx, readOnly: boolean) {
  return (args: Buffer[]): Reply => {
    const name = (args[0] as Buffer).toString('latin1').toLowerCase();
    const spec = ctx.spec(name);
    if (!spec) return error('ERR Unknown Redis command called from script');
    if (NOT_IN_SCRIPTS.has(name)) return error('ERR This Redis command is not allowed from script');
    if (!arityOk(spec.arity, args.length)) return error('ERR Wrong number of args calling Redis command from script');
    if (readOnly && spec.write) return error('ERR Write commands are not allowed from read-only scripts.');
    return ctx.call(args);
  };
}

function splitKeys(rest: Buffer[]): [Buffer[], Buffer[]] {
  const n = parseInteger(rest[0] as Buffer);
  if (n < 0) throw new CommandError("ERR Number of keys can't be negative");
  if (n > rest.length - 1) throw new CommandError("ERR Number of keys can't be greater than number of args");
  return [rest.slice(1, 1 + n), rest.slice(1 + n)];
}

function evalCommand(bySha: boolean, readOnly: boolean) {
  return (ctx: Ctx, [scriptOrSha, ...rest]: Buffer[]): Reply => {
    const [keys, argv] = splitKeys(rest);
    const sha = bySha ? (scriptOrSha as Buffer).toString('latin1').toLowerCase() : ctx.lua.compile(scriptOrSha as Buffer);
    return ctx.lua.run(sha, keys, argv, scriptCall(ctx, readOnly || ctx.lua.noWrites(sha)));
  };
}

function script(ctx: Ctx, [sub, ...rest]: Buffer[]): Reply {
  switch (keyword(sub)) {
    case 'LOAD':
      if (rest.length !== 1) throw new CommandError(ERR.wrongArgs('script|load'));
      return bulk(ctx.lua.compile(rest[0] as Buffer));
    case 'EXISTS':
      if (rest.length === 0) throw new CommandError(ERR.wrongArgs('script|exists'));
      return array(rest.map((sha) => bool(ctx.lua.has(sha.toString('latin1').toLowerCase()))));
    case 'FLUSH':
      ctx.lua.flush();
      return OK;
    default:
      throw new CommandError(`ERR unknown subcommand '${(sub as Buffer).toString('utf8')}'. Try SCRIPT HELP.`);
  }
}

export const scriptingCommands: CommandTable = {
  // Scripts may write, so EVAL and EVALSHA count as writes; the _RO forms refuse writes inside.
  eval: { arity: -3, run: evalCommand(false, false), write: true },
  evalsha: { arity: -3, run: evalCommand(true, false), write: true },
  eval_ro: { arity: -3, run: evalCommand(false, true) },
  evalsha_ro: { arity: -3, run: evalCommand(true, true) },
  script: { arity: -2, run: script },
};
