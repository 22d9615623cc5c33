/**
 * The one interface behind the REST server: the in-memory engine (memory-engine.ts) and the
 * pass-through to a real Redis (real-engine.ts) both answer in the RESP2 Reply model.
 */
import type { Reply } from './reply.js';

export type EngineKind = 'memory' | 'redis';

/** A transaction either ran (per-command replies, errors included) or was discarded as a whole. */
export type MultiResult = { replies: Reply[] } | { discarded: string };

export interface Engine {
  readonly kind: EngineKind;
  /** One command; args[0] is the command name in any case. Command errors come back as replies. */
  exec(args: Buffer[]): Promise<Reply>;
  /** Commands in order, not atomic; one failing does not stop the others. */
  pipeline(commands: Buffer[][]): Promise<Reply[]>;
  /** MULTI/EXEC: atomic; discarded when a command is unknown or has the wrong number of arguments. */
  multi(commands: Buffer[][]): Promise<MultiResult>;
  keyCount(): Promise<number>;
  /** Drops all data where that is safe; says what it did. */
  reset(): Promise<{ flushed: boolean; note: string }>;
  close(): Promise<void>;
}

/** The discard error; `index` is the failing command's position when known. */
export const discardText = (index: number | undefined, reason: string): string =>
  `EXECABORT Transaction discarded because of previous errors: ${index === undefined ? '' : `command ${index + 1}: `}${reason}`;
