/**
 * The JSON side of the Upstash REST protocol (UPSTASH_PROTOCOLS.md §1.4–§1.6):
 *   decoding a command array into argument bytes, and encoding a Reply as JSON.
 *
 * Argument decoding: string → its UTF-8 bytes; number → JS `String(n)` ("1.5", "10", "1e+21");
 * boolean → "true"/"false". JSON null (what the SDK sends for an `undefined` argument) and nested
 * arrays/objects are refused with an error: Upstash's handling is unconfirmed (§4 item 2), and a loud
 * error locally beats silently storing "null".
 *
 * Encoding with `Upstash-Encoding: base64`: every string is base64 except a top-level `OK` status.
 * Inside arrays even "OK" is encoded ("T0s="), because the SDK base64-decodes every array element
 * (§1.6.1). Status replies like PONG or TYPE's answer are encoded too. Integers are JSON numbers, nil
 * is null. Errors are never encoded at the top (they are the envelope's `error`); an error nested in
 * an array (only a Lua script can make one) is sent as an encoded string, the one form the SDK can
 * decode there.
 */
import type { Reply } from './reply.js';

export class WireError extends Error {}

export function decodeCommand(raw: unknown): Buffer[] {
  if (!Array.isArray(raw) || raw.length === 0) throw new WireError('ERR a command must be a non-empty JSON array');
  return raw.map((arg: unknown, i) => {
    if (typeof arg === 'string') return Buffer.from(arg, 'utf8');
    if (typeof arg === 'number' && Number.isFinite(arg)) return Buffer.from(String(arg));
    if (typeof arg === 'boolean') return Buffer.from(arg ? 'true' : 'false');
    const what = arg === null ? 'null' : Array.isArray(arg) ? 'an array' : typeof arg;
    throw new WireError(`ERR argument ${i + 1} is ${what}; the local server accepts only strings, numbers and booleans`);
  });
}

export function decodeBatch(raw: unknown): Buffer[][] {
  if (!Array.isArray(raw)) throw new WireError('ERR a pipeline or transaction must be a JSON array of command arrays');
  return raw.map(decodeCommand);
}

export type Json = null | number | string | Json[];

export function encodeReply(r: Reply, base64: boolean, top = true): Json {
  const text = (b: Buffer): string => (base64 ? b.toString('base64') : b.toString('utf8'));
  switch (r.kind) {
    case 'status':
      return top && r.value === 'OK' ? 'OK' : text(Buffer.from(r.value, 'utf8'));
    case 'bulk':
      return text(r.value);
    case 'int':
      return r.value;
    case 'nil':
      return null;
    case 'array':
      return r.items.map((item) => encodeReply(item, base64, false));
    case 'error':
      return text(Buffer.from(r.message, 'utf8'));
  }
}

/** `{"result": …}` or `{"error": "…"}`: one item of a pipeline answer, or a single command's body. */
export function envelope(r: Reply, base64: boolean): { result: Json } | { error: string } {
  return r.kind === 'error' ? { error: r.message } : { result: encodeReply(r, base64) };
}
