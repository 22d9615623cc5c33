/**
 * The command table both engines honour: the in-memory engine runs these handlers, the real-Redis
 * engine passes only these names through. Anything else is "unknown command", loudly, so the app
 * cannot come to depend on something this local server does not model.
 */
import { arityOk, type CommandSpec, type CommandTable } from './command.js';
import { counterCommands } from './counters.js';
import { hashCommands } from './hashes.js';
import { keyCommands } from './keys.js';
import { listCommands } from './lists.js';
import { ERR } from './reply.js';
import { scriptingCommands } from './scripting.js';
import { serverCommands } from './server-cmds.js';
import { setCommands } from './sets.js';
import { stringCommands } from './strings.js';
import { zrangeCommands } from './zrange.js';
import { zsetCommands } from './zsets.js';

export const COMMANDS: CommandTable = {
  ...serverCommands,
  ...stringCommands,
  ...counterCommands,
  ...keyCommands,
  ...listCommands,
  ...hashCommands,
  ...setCommands,
  ...zsetCommands,
  ...zrangeCommands,
  ...scriptingCommands,
};

export function lookup(name: string): CommandSpec | undefined {
  return Object.hasOwn(COMMANDS, name) ? COMMANDS[name] : undefined;
}

/**
 * The check Redis makes when a command is queued in MULTI (known name, right arity); a failure
 * discards the whole transaction. Both engines use it, so their discard errors read the same.
 */
export function queueError(args: Buffer[]): string | undefined {
  const raw = args[0]?.toString('utf8') ?? '';
  const spec = lookup(raw.toLowerCase());
  if (!spec) return ERR.unknownCommand(raw);
  if (!arityOk(spec.arity, args.length)) return ERR.wrongArgs(raw);
  return undefined;
}
