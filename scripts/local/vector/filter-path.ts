/**
 * Field paths of the filter language: `a.b.c`, `tags[0]`, `tags[#-1]` (# = the array's length), and
 * their resolution against stored metadata.
 */
import { FilterSyntaxError } from './filter-lexer.js';
import type { Json } from './types.js';

export type PathSegment = { key: string } | { index: number } | { fromEnd: number };

const NAME = /[\p{L}_][\p{L}\p{N}_]*/uy;
const INDEX = /\[(?:(\d+)|#-(\d+))\]/y;

/** Parses a path token; `pos` is the token's offset, for error positions. */
export function parsePath(text: string, pos: number): PathSegment[] {
  const segments: PathSegment[] = [];
  let i = 0;
  const name = (): void => {
    NAME.lastIndex = i;
    const m = NAME.exec(text);
    if (!m) throw new FilterSyntaxError(pos + i, `expected a field name in '${text}'`);
    segments.push({ key: m[0] });
    i += m[0].length;
  };
  name();
  while (i < text.length) {
    if (text[i] === '.') {
      i++;
      name();
      continue;
    }
    INDEX.lastIndex = i;
    const m = INDEX.exec(text);
    if (!m) throw new FilterSyntaxError(pos + i, `expected '.name', '[n]' or '[#-n]' in '${text}'`);
    segments.push(m[1] !== undefined ? { index: Number(m[1]) } : { fromEnd: Number(m[2]) });
    i += m[0].length;
  }
  return segments;
}

/** Sentinel for "no such path", distinct from a stored JSON null. */
export const MISSING: unique symbol = Symbol('missing');

export function resolvePath(root: Json | undefined, path: PathSegment[]): Json | typeof MISSING {
  let cur: Json | undefined = root;
  for (const seg of path) {
    if (cur === undefined || cur === null || typeof cur !== 'object') return MISSING;
    if ('key' in seg) {
      if (Array.isArray(cur) || !Object.hasOwn(cur, seg.key)) return MISSING;
      cur = cur[seg.key];
    } else {
      if (!Array.isArray(cur)) return MISSING;
      const i = 'index' in seg ? seg.index : cur.length - seg.fromEnd;
      if (i < 0 || i >= cur.length) return MISSING;
      cur = cur[i];
    }
  }
  return cur === undefined ? MISSING : cur;
}
