/**
 * What a command handler sees, and how a family of commands is described.
 *
 * Handlers are synchronous on purpose: the in-memory engine runs a whole MULTI or Lua script without
 * yielding, which is what makes them atomic, and `redis.call` inside Lua needs an immediate answer.
 */
import type { Keyspace } from './keyspace.js';
import type { LuaVM } from './lua-vm.js';
import type { Reply } from './reply.js';

export interface Ctx {
  ks: Keyspace;
  /** Server-clock epoch ms. */
  now(): number;
  /** Runs another command through the same dispatcher (used by Lua's redis.call). */
  call(args: Buffer[]): Reply;
  /** The spec of a supported command by lower-case name. */
  spec(name: string): CommandSpec | undefined;
  /** The script cache and Lua VM. */
  lua: LuaVM;
}

/** `args` excludes the command name. */
export type Handler = (ctx: Ctx, args: Buffer[]) => Reply;

export interface CommandSpec {
  /** Redis's arity, counting the name: n means exactly n, -n means at least n. */
  arity: number;
  run: Handler;
  /** Commands that change data; EVAL_RO/EVALSHA_RO scripts may not call them. */
  write?: boolean;
}

export type CommandTable = Record<string, CommandSpec>;

export const arityOk = (arity: number, argc: number): boolean => (arity >= 0 ? argc === arity : argc >= -arity);
