/**
 * Glob matching (KEYS, SCAN MATCH) and the cursor paging shared by SCAN, HSCAN, SSCAN and ZSCAN.
 *
 * The cursor is an offset into the sorted item list. Unlike Redis's reverse-binary cursor it can
 * skip or repeat items if the collection changes between calls, which Redis also permits.
 */
import { bin, keyword, parseInteger } from './args.js';
import { array, bulk, CommandError, ERR, type Reply } from './reply.js';

/** Redis's glob dialect: `*`, `?`, `[abc]`, `[^a-z]`, and `\` escaping. Strings are latin1. */
export function globMatch(pattern: string, s: string): boolean {
  let p = 0;
  let i = 0;
  while (p < pattern.length) {
    const c = pattern[p] as string;
    if (c === '*') {
      while (pattern[p + 1] === '*') p++;
      if (p + 1 === pattern.length) return true;
      for (let j = i; j <= s.length; j++) if (globMatch(pattern.slice(p + 1), s.slice(j))) return true;
      return false;
    }
    if (i >= s.length) return false;
    if (c === '?') {
      p++;
      i++;
      continue;
    }
    if (c === '[') {
      const end = classEnd(pattern, p);
      if (!classMatches(pattern.slice(p + 1, end), s[i] as string)) return false;
      p = end + 1;
      i++;
      continue;
    }
    const literal = c === '\\' && p + 1 < pattern.length ? (pattern[++p] as string) : c;
    if (literal !== s[i]) return false;
    p++;
    i++;
  }
  return i === s.length;
}

function classEnd(pattern: string, open: number): number {
  let j = open + 1;
  if (pattern[j] === '^') j++;
  for (; j < pattern.length; j++) {
    if (pattern[j] === '\\') j++;
    else if (pattern[j] === ']') return j;
  }
  return pattern.length - 1; // unterminated class: Redis treats the rest as the class
}

function classMatches(body: string, ch: string): boolean {
  const negate = body.startsWith('^');
  let hit = false;
  for (let j = negate ? 1 : 0; j < body.length; j++) {
    if (body[j] === '\\' && j + 1 < body.length) {
      if (body[++j] === ch) hit = true;
    } else if (body[j + 1] === '-' && j + 2 < body.length) {
      const [lo, hi] = [body[j] as string, body[j + 2] as string].sort();
      if (ch >= (lo as string) && ch <= (hi as string)) hit = true;
      j += 2;
    } else if (body[j] === ch) hit = true;
  }
  return negate ? !hit : hit;
}

export interface ScanOptions {
  cursor: number;
  match?: string;
  count: number;
  type?: string;
}

/** Parses `cursor [MATCH p] [COUNT n] [TYPE t]`; TYPE only where `allowType` (plain SCAN). */
export function parseScanArgs(cursor: Buffer, rest: Buffer[], allowType: boolean): ScanOptions {
  const o: ScanOptions = { cursor: parseInteger(cursor, 'ERR invalid cursor'), count: 10 };
  for (let i = 0; i < rest.length; i += 2) {
    const kw = keyword(rest[i]);
    const value = rest[i + 1];
    if (!value) throw new CommandError(ERR.syntax);
    if (kw === 'MATCH') o.match = bin(value);
    else if (kw === 'COUNT') {
      o.count = parseInteger(value);
      if (o.count < 1) throw new CommandError(ERR.syntax);
    } else if (kw === 'TYPE' && allowType) o.type = value.toString('latin1').toLowerCase();
    else throw new CommandError(ERR.syntax);
  }
  return o;
}

/**
 * One page of `names` (sorted latin1 strings) from the cursor, filtered by MATCH; `expand` turns a
 * kept name into its reply elements (a member alone, or field + value).
 */
export function scanReply(names: string[], o: ScanOptions, expand: (name: string) => Reply[]): Reply {
  const start = Math.max(0, o.cursor);
  const end = Math.min(names.length, start + o.count);
  const out: Reply[] = [];
  for (const name of names.slice(start, end)) {
    if (o.match === undefined || globMatch(o.match, name)) out.push(...expand(name));
  }
  const next = end >= names.length ? 0 : end;
  return array([bulk(String(next)), array(out)]);
}
