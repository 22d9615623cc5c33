/**
 * One Lua VM (fengari) per in-memory engine, holding every cached script as a compiled function.
 *
 * `redis.call` / `redis.pcall` are JS functions that hand the command to the engine synchronously,
 * so a script runs atomically. Errors reach the client in Redis 7's shape:
 *   "<message> script: <sha>, on @user_script:<line>."
 * A script that runs longer than SCRIPT_TIME_LIMIT_MS is aborted (Redis would answer BUSY instead;
 * a local server has no second client to run SCRIPT KILL, so it stops the script itself).
 */
import { createHash } from 'node:crypto';
import type { LuaState } from 'fengari';
import { installCjson } from './lua-cjson.js';
import { pushReply, toBytes, toReply } from './lua-convert.js';
import { PRELUDE } from './lua-prelude.js';
import { fengari } from './lua-runtime.js';
import { formatDouble } from './args.js';
import { CommandError, type Reply } from './reply.js';
import { readShebang } from './shebang.js';

const { lua, lauxlib, lualib, to_luastring } = fengari;
const SCRIPT_TIME_LIMIT_MS = 5_000;
const CHUNK_NAME = to_luastring('@user_script');

export const sha1hex = (source: Buffer | string): string => createHash('sha1').update(source).digest('hex');

interface Session {
  call(args: Buffer[]): Reply;
  /** The message last raised by redis.call, which must reach the client without an "ERR " prefix. */
  raised?: string;
  line?: number;
  deadline: number;
}

export class LuaVM {
  private readonly L: LuaState = lauxlib.luaL_newstate();
  private readonly refs = new Map<string, number>();
  /** Scripts whose shebang says `no-writes`: they run as EVAL_RO would. */
  private readonly readOnly = new Set<string>();
  private session: Session | undefined;

  constructor() {
    const L = this.L;
    lualib.luaL_openlibs(L);
    this.installRedisTable();
    installCjson(L);
    if (lauxlib.luaL_loadbuffer(L, to_luastring(PRELUDE), null, to_luastring('=prelude')) !== lua.LUA_OK
      || lua.lua_pcall(L, 0, 0, 0) !== lua.LUA_OK) {
      throw new Error(`Lua prelude failed: ${toBytes(L, -1).toString('utf8')}`);
    }
  }

  has(sha: string): boolean {
    return this.refs.has(sha);
  }

  /** True when the script's shebang carries `no-writes`. */
  noWrites(sha: string): boolean {
    return this.readOnly.has(sha);
  }

  /**
   * Compiles and caches a script under its SHA-1 (of the whole text, shebang included); a compile
   * error, or a shebang Redis 7 / Upstash would refuse, is the command's error.
   */
  compile(source: Buffer): string {
    const sha = sha1hex(source);
    if (this.refs.has(sha)) return sha;
    const L = this.L;
    const shebang = readShebang(source);
    const code = shebang?.body ?? source;
    if (lauxlib.luaL_loadbuffer(L, code, code.length, CHUNK_NAME) !== lua.LUA_OK) {
      const message = toBytes(L, -1).toString('utf8');
      lua.lua_settop(L, 0);
      throw new CommandError(`ERR Error compiling script (new function): ${message}`);
    }
    this.refs.set(sha, lauxlib.luaL_ref(L, lua.LUA_REGISTRYINDEX));
    if (shebang?.flags.has('no-writes')) this.readOnly.add(sha);
    return sha;
  }

  flush(): void {
    for (const ref of this.refs.values()) lauxlib.luaL_unref(this.L, lua.LUA_REGISTRYINDEX, ref);
    this.refs.clear();
    this.readOnly.clear();
  }

  /** Runs a cached script; `call` executes one redis.call on the engine (already policy-checked). */
  run(sha: string, keys: Buffer[], argv: Buffer[], call: (args: Buffer[]) => Reply): Reply {
    const ref = this.refs.get(sha);
    if (ref === undefined) throw new CommandError('NOSCRIPT No matching script. Please use EVAL.');
    const L = this.L;
    this.session = { call, deadline: Date.now() + SCRIPT_TIME_LIMIT_MS };
    try {
      this.setArrayGlobal('KEYS', keys);
      this.setArrayGlobal('ARGV', argv);
      lua.lua_pushjsfunction(L, (S) => this.onError(S));
      lua.lua_rawgeti(L, lua.LUA_REGISTRYINDEX, ref);
      lua.lua_sethook(L, (S) => this.checkDeadline(S), lua.LUA_MASKCOUNT, 10_000);
      if (lua.lua_pcall(L, 0, 1, 1) !== lua.LUA_OK) throw new CommandError(this.errorText(sha));
      return toReply(L, -1);
    } finally {
      lua.lua_sethook(L, null, 0, 0);
      lua.lua_settop(L, 0);
      this.session = undefined;
    }
  }

  /** KEYS and ARGV are set with rawset: the protected global table refuses ordinary assignment. */
  private setArrayGlobal(name: string, values: Buffer[]): void {
    const L = this.L;
    lua.lua_pushglobaltable(L);
    lua.lua_pushstring(L, to_luastring(name));
    lua.lua_createtable(L, values.length, 0);
    values.forEach((v, i) => {
      lua.lua_pushstring(L, v);
      lua.lua_rawseti(L, -2, i + 1);
    });
    lua.lua_rawset(L, -3);
    lua.lua_pop(L, 1);
  }

  /** Message handler: runs while the failing frame is still on the stack, to learn its line. */
  private onError(L: LuaState): number {
    for (let level = 1; level <= 3 && this.session && this.session.line === undefined; level++) {
      lauxlib.luaL_where(L, level);
      const where = /:(\d+): $/.exec(toBytes(L, -1).toString('utf8'));
      if (where) this.session.line = Number(where[1]);
      lua.lua_pop(L, 1);
    }
    lua.lua_pushvalue(L, 1);
    return 1;
  }

  private errorText(sha: string): string {
    const L = this.L;
    const s = this.session;
    let message: string;
    if (lua.lua_type(L, -1) === lua.LUA_TTABLE) {
      const r = toReply(L, -1);
      message = r.kind === 'error' ? r.message : r.kind === 'status' ? r.value : 'ERR unknown error';
    } else {
      const text = toBytes(L, -1).toString('utf8');
      message = s?.raised === text ? text : `ERR ${text}`;
    }
    return `${message} script: ${sha}, on @user_script:${s?.line ?? 0}.`;
  }

  private checkDeadline(L: LuaState): void {
    if (this.session && Date.now() > this.session.deadline) {
      lua.lua_pushstring(L, to_luastring(`script ran longer than ${SCRIPT_TIME_LIMIT_MS} ms (local server limit)`));
      lua.lua_error(L);
    }
  }

  private installRedisTable(): void {
    const L = this.L;
    lua.lua_createtable(L, 0, 4);
    lua.lua_pushjsfunction(L, (S) => this.redisCall(S, true));
    lua.lua_setfield(L, -2, to_luastring('call'));
    lua.lua_pushjsfunction(L, (S) => this.redisCall(S, false));
    lua.lua_setfield(L, -2, to_luastring('pcall'));
    lua.lua_pushjsfunction(L, (S) => {
      lua.lua_pushstring(S, to_luastring(sha1hex(toBytes(S, 1))));
      return 1;
    });
    lua.lua_setfield(L, -2, to_luastring('sha1hex'));
    lua.lua_setglobal(L, to_luastring('redis'));
  }

  private redisCall(L: LuaState, raise: boolean): number {
    const args = readArgs(L);
    const reply: Reply = typeof args === 'string'
      ? { kind: 'error', message: args }
      : (this.session?.call(args) ?? { kind: 'error', message: 'ERR redis.call outside a script' });
    if (reply.kind === 'error' && raise) {
      if (this.session) this.session.raised = reply.message;
      lua.lua_pushstring(L, Buffer.from(reply.message, 'utf8'));
      return lua.lua_error(L);
    }
    pushReply(L, reply);
    return 1;
  }
}

/** redis.call's arguments as bytes, or the Redis error text when one is not a string or number. */
function readArgs(L: LuaState): Buffer[] | string {
  const n = lua.lua_gettop(L);
  if (n === 0) return 'ERR Please specify at least one argument for this redis lib call';
  const args: Buffer[] = [];
  for (let i = 1; i <= n; i++) {
    const t = lua.lua_type(L, i);
    if (t === lua.LUA_TNUMBER) {
      // Redis prints Lua numbers with %.17g (integers print as integers).
      const v = lua.lua_isinteger(L, i) ? String(lua.lua_tointeger(L, i)) : formatDouble(lua.lua_tonumber(L, i));
      args.push(Buffer.from(v));
    } else if (t === lua.LUA_TSTRING) args.push(toBytes(L, i));
    else return 'ERR Lua redis lib command arguments must be strings or integers';
  }
  return args;
}
