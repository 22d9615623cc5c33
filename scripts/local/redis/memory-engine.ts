/**
 * The in-memory engine: our own keyspace plus a fengari Lua VM, every TTL decided by the server's
 * clock. Commands run synchronously, so a MULTI batch or a Lua script is atomic by construction.
 */
import { lookup, queueError } from './commands.js';
import type { Ctx } from './command.js';
import { discardText, type Engine, type MultiResult } from './engine.js';
import { Keyspace } from './keyspace.js';
import { LuaVM } from './lua-vm.js';
import { CommandError, error, type Reply } from './reply.js';

export class MemoryEngine implements Engine {
  readonly kind = 'memory' as const;
  private readonly ks: Keyspace;
  private readonly ctx: Ctx;

  constructor(now: () => number) {
    this.ks = new Keyspace(now);
    this.ctx = { ks: this.ks, now, call: (args) => this.run(args), spec: lookup, lua: new LuaVM() };
  }

  /** Runs one command synchronously; handler errors (CommandError) become error replies. */
  run(args: Buffer[]): Reply {
    const invalid = queueError(args);
    if (invalid) return error(invalid);
    const spec = lookup((args[0] as Buffer).toString('utf8').toLowerCase());
    try {
      return (spec as NonNullable<typeof spec>).run(this.ctx, args.slice(1));
    } catch (e) {
      if (e instanceof CommandError) return error(e.message);
      throw e;
    }
  }

  async exec(args: Buffer[]): Promise<Reply> {
    return this.run(args);
  }

  async pipeline(commands: Buffer[][]): Promise<Reply[]> {
    return commands.map((c) => this.run(c));
  }

  async multi(commands: Buffer[][]): Promise<MultiResult> {
    for (const [i, c] of commands.entries()) {
      const invalid = queueError(c);
      if (invalid) return { discarded: discardText(i, invalid) };
    }
    return { replies: commands.map((c) => this.run(c)) };
  }

  async keyCount(): Promise<number> {
    return this.ks.size();
  }

  async reset(): Promise<{ flushed: boolean; note: string }> {
    this.ks.clear();
    this.ctx.lua.flush();
    return { flushed: true, note: 'in-memory keyspace and script cache cleared' };
  }

  async close(): Promise<void> {}
}
