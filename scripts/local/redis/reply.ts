/**
 * The RESP2 reply model both engines produce, and the error texts they share.
 *
 * Status and bulk stay distinct because the wire encoder treats them differently: only a top-level
 * `+OK` status may go out un-encoded (UPSTASH_PROTOCOLS.md §1.6). Doubles are bulk strings, maps are
 * flat arrays, exactly as RESP2 has them.
 */
export type Reply =
  | { kind: 'status'; value: string }
  | { kind: 'bulk'; value: Buffer }
  | { kind: 'int'; value: number }
  | { kind: 'nil' }
  | { kind: 'array'; items: Reply[] }
  | { kind: 'error'; message: string };

export const OK: Reply = { kind: 'status', value: 'OK' };
export const NIL: Reply = { kind: 'nil' };

export const status = (value: string): Reply => ({ kind: 'status', value });
export const int = (value: number): Reply => ({ kind: 'int', value });
export const bool = (value: boolean): Reply => ({ kind: 'int', value: value ? 1 : 0 });
export const error = (message: string): Reply => ({ kind: 'error', message });

export function bulk(value: Buffer | string): Reply {
  return { kind: 'bulk', value: typeof value === 'string' ? Buffer.from(value, 'utf8') : value };
}

/** A bulk reply, or nil when the value is absent. */
export function bulkOrNil(value: Buffer | undefined): Reply {
  return value === undefined ? NIL : bulk(value);
}

export function array(items: Reply[]): Reply {
  return { kind: 'array', items };
}

export function bulkArray(values: Buffer[]): Reply {
  return array(values.map((v) => bulk(v)));
}

/**
 * Thrown by command handlers to end a command with an error reply; the dispatcher turns it into
 * `{kind:'error'}`. Throwing keeps handlers linear (parse, check, act) without threading Results.
 */
export class CommandError extends Error {}

export const ERR = {
  wrongType: 'WRONGTYPE Operation against a key holding the wrong kind of value',
  notInteger: 'ERR value is not an integer or out of range',
  notFloat: 'ERR value is not a valid float',
  syntax: 'ERR syntax error',
  overflow: 'ERR increment or decrement would overflow',
  noSuchKey: 'ERR no such key',
  indexOutOfRange: 'ERR index out of range',
  noScript: 'NOSCRIPT No matching script. Please use EVAL.',
  wrongArgs: (name: string) => `ERR wrong number of arguments for '${name.toLowerCase()}' command`,
  unknownCommand: (name: string) =>
    `ERR unknown command '${name}' (not supported by the local Upstash Redis REST server)`,
} as const;
