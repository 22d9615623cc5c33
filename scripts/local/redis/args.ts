/**
 * Argument parsing and number formatting with Redis's own rules, so replies and error texts match
 * a real Redis 7 byte for byte where the SDK or a script could notice.
 */
import { CommandError, ERR } from './reply.js';

/**
 * Keys, hash fields, set and sorted-set members are held as latin1 strings: one char per byte, so
 * any byte sequence round-trips and `<` compares them bytewise, as Redis's memcmp does.
 */
export const bin = (b: Buffer): string => b.toString('latin1');
export const unbin = (s: string): Buffer => Buffer.from(s, 'latin1');

/** An option keyword, upper-cased for case-insensitive matching. */
export const keyword = (b: Buffer | undefined): string => (b === undefined ? '' : b.toString('latin1').toUpperCase());

const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;

/** Redis's string2ll: no spaces, no '+', no leading zeros, within int64. */
export function parseBigInt(b: Buffer, message: string = ERR.notInteger): bigint {
  const s = b.toString('latin1');
  if (!/^(0|-?[1-9][0-9]*)$/.test(s)) throw new CommandError(message);
  const n = BigInt(s);
  if (n < INT64_MIN || n > INT64_MAX) throw new CommandError(message);
  return n;
}

/** An int64 argument as a JS number (exact up to 2^53, which covers every count, index and TTL). */
export const parseInteger = (b: Buffer, message?: string): number => Number(parseBigInt(b, message));

export function checkInt64(n: bigint): bigint {
  if (n < INT64_MIN || n > INT64_MAX) throw new CommandError(ERR.overflow);
  return n;
}

const FLOAT = /^[+-]?([0-9]+\.?[0-9]*|\.[0-9]+)([eE][+-]?[0-9]+)?$/;
const INF = /^([+-]?)inf(inity)?$/i;

/** Redis's strtod-based parse: decimal or exponent forms, `inf`/`-inf`; never NaN, never spaces. */
export function parseFloatArg(b: Buffer, message: string = ERR.notFloat): number {
  const s = b.toString('latin1');
  const inf = INF.exec(s);
  if (inf) return inf[1] === '-' ? -Infinity : Infinity;
  if (!FLOAT.test(s)) throw new CommandError(message);
  return Number(s);
}

const stripZeros = (s: string): string => (s.includes('.') ? s.replace(/0+$/, '').replace(/\.$/, '') : s);

/** C's `%.17g`: how Redis 7.0 prints sorted-set scores and Lua numbers passed to redis.call. */
export function formatDouble(n: number): string {
  if (Number.isNaN(n)) return 'nan';
  if (!Number.isFinite(n)) return n > 0 ? 'inf' : '-inf';
  if (n === 0) return Object.is(n, -0) ? '-0' : '0';
  const [mantissa = '', expText = '0'] = n.toExponential(16).split('e');
  const exp = Number(expText);
  if (exp < -4 || exp >= 17) {
    const digits = String(Math.abs(exp)).padStart(2, '0');
    return `${stripZeros(mantissa)}e${exp < 0 ? '-' : '+'}${digits}`;
  }
  return stripZeros(n.toFixed(16 - exp));
}

/**
 * INCRBYFLOAT's "human" form: Redis computes in long double and prints `%.17Lf` without trailing
 * zeros, so 0.1 + 0.2 reads "0.3" and there is never an exponent. Rounding the double to 15
 * significant digits reproduces that for everyday values.
 */
export function formatHumanFloat(n: number): string {
  const r = Number(n.toPrecision(15));
  const s = String(r);
  if (!s.includes('e')) return s;
  if (Math.abs(r) >= 1) return BigInt(Math.round(r)).toString();
  return stripZeros(r.toFixed(20));
}
