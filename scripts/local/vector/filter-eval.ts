/**
 * Turns a parsed filter into a predicate over a record's metadata. Decisions where the docs are silent
 * (§2.7 "recommended", §4 item 9):
 *   - a missing field, or one of another type, makes every predicate false — `!=`, NOT IN, NOT GLOB and
 *     NOT CONTAINS included (SQL NULL style); HAS FIELD / HAS NOT FIELD are the way to test presence;
 *   - `=` compares strings with strings, numbers with numbers, booleans with booleans; a boolean also
 *     equals 1 (true) or 0 (false), because the docs call 1 and 0 boolean literals;
 *   - `=` on an array is false (no implicit membership): use CONTAINS;
 *   - IN lists may mix types; each member is compared with the rules of `=`.
 */
import type { FilterNode, Literal } from './filter-parser.js';
import { MISSING, resolvePath, type PathSegment } from './filter-path.js';
import { globToRegExp } from './glob.js';
import type { Json, Metadata } from './types.js';

export type Predicate = (metadata: Metadata | undefined) => boolean;

type Scalar = string | number | boolean;
type Value = Json | typeof MISSING;

function isScalar(v: Value): v is Scalar {
  return typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean';
}

export function equals(v: Value, lit: Literal): boolean {
  if (typeof v === typeof lit) return v === lit;
  if (typeof v === 'boolean' && typeof lit === 'number') return (v ? 1 : 0) === lit;
  if (typeof v === 'number' && typeof lit === 'boolean') return v === (lit ? 1 : 0);
  return false;
}

function compare(v: Value, op: string, lit: Literal): boolean {
  if (op === '=') return isScalar(v) && equals(v, lit);
  if (op === '!=') return isScalar(v) && !equals(v, lit);
  if (typeof v !== 'number' || typeof lit !== 'number') return false;
  switch (op) {
    case '<':
      return v < lit;
    case '<=':
      return v <= lit;
    case '>':
      return v > lit;
    default:
      return v >= lit;
  }
}

/** A predicate over the value at one path. */
function atPath(path: PathSegment[], test: (v: Value) => boolean): Predicate {
  return (metadata) => test(resolvePath(metadata, path));
}

export function compileFilter(node: FilterNode): Predicate {
  switch (node.kind) {
    case 'or': {
      const items = node.items.map(compileFilter);
      return (m) => items.some((p) => p(m));
    }
    case 'and': {
      const items = node.items.map(compileFilter);
      return (m) => items.every((p) => p(m));
    }
    case 'compare':
      return atPath(node.path, (v) => compare(v, node.op, node.value));
    case 'glob': {
      const re = globToRegExp(node.pattern);
      return atPath(node.path, (v) => typeof v === 'string' && re.test(v) !== node.negated);
    }
    case 'in':
      return atPath(node.path, (v) => isScalar(v) && node.values.some((l) => equals(v, l)) !== node.negated);
    case 'contains':
      return atPath(node.path, (v) => Array.isArray(v) && v.some((e) => equals(e, node.value)) !== node.negated);
    case 'has':
      return atPath(node.path, (v) => (v !== MISSING) !== node.negated);
  }
}
