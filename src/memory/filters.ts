/**
 * The search API's JSON filter language, compiled to Upstash Vector's filter syntax.
 *
 *   {"AND": [f, …]} | {"OR": [f, …]} | {"NOT": f} | {"<field>": {"<op>": value}} | {"<field>": value}
 *   ops: eq, ne, in, nin, gt, gte, lt, lte, contains
 *
 * The Vector language has no unary NOT, so NOT is pushed down to the conditions (De Morgan).
 * Its string-escape rules are unconfirmed, so a value is wrapped in whichever quote it does not
 * contain; a value containing both quote characters, or a backslash, is refused rather than guessed at.
 * Fields are user metadata (`metadata.<key>`) or one of the memory fields below. Field names are
 * checked against a strict pattern and string values are quoted safely, so nothing a client
 * sends can change the shape of the compiled filter. Anything else is an INVALID_INPUT error.
 */
import { invalid } from '../errors';

const MEMORY_FIELDS = new Set(['kind', 'categories', 'entities', 'created_at', 'updated_at', 'valid_at', 'expires_at', 'subject', 'predicate', 'object', 'source_ids']);
const FIELD = /^[A-Za-z_][A-Za-z0-9_]{0,63}$/;
const MAX_DEPTH = 8;
const MAX_NODES = 64;

type Scalar = string | number | boolean;
const OPS: Record<string, string> = { eq: '=', ne: '!=', gt: '>', gte: '>=', lt: '<', lte: '<=' };
const NEGATED: Record<string, string> = { eq: 'ne', ne: 'eq', gt: 'lte', gte: 'lt', lt: 'gte', lte: 'gt', in: 'nin', nin: 'in', contains: 'ncontains' };

export function quote(value: Scalar): string {
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw invalid('filter numbers must be finite');
    return String(value);
  }
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  // A backslash may escape the closing quote (the local stand-in reads \' as a quote inside the
  // string), letting the rest of the filter become part of the value and a later value become syntax.
  if (value.includes('\\')) throw invalid('a filter string value cannot contain a backslash');
  if (!value.includes("'")) return `'${value}'`;
  if (!value.includes('"')) return `"${value}"`;
  throw invalid('a filter string value cannot contain both \' and " characters');
}

function field(name: string): string {
  if (MEMORY_FIELDS.has(name)) return name;
  const key = name.startsWith('metadata.') ? name.slice(9) : name;
  if (!FIELD.test(key)) throw invalid(`filter field "${name.slice(0, 80)}" is not a valid field name`);
  return `metadata.${key}`;
}

function scalar(v: unknown, where: string): Scalar {
  if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') return v;
  throw invalid(`filter value for ${where} must be a string, number or boolean`);
}

function list(v: unknown, where: string): string {
  if (!Array.isArray(v) || v.length === 0 || v.length > 100) throw invalid(`filter ${where} needs a list of 1 to 100 values`);
  return `(${v.map((x) => quote(scalar(x, where))).join(', ')})`;
}

function condition(name: string, spec: unknown, negate: boolean): string {
  const f = field(name);
  const bare = spec === null || typeof spec !== 'object' || Array.isArray(spec);
  const entries = bare ? [['eq', spec] as const] : Object.entries(spec);
  if (entries.length !== 1) throw invalid(`filter on "${name}" needs exactly one operator`);
  const [given, value] = entries[0] as [string, unknown];
  if (!(given in NEGATED)) throw invalid(`unknown filter operator "${given.slice(0, 40)}" (use eq, ne, in, nin, gt, gte, lt, lte, contains)`);
  const op = negate ? (NEGATED[given] as string) : given;
  if (op in OPS) return `${f} ${OPS[op]} ${quote(scalar(value, name))}`;
  if (op === 'in') return `${f} IN ${list(value, name)}`;
  if (op === 'nin') return `${f} NOT IN ${list(value, name)}`;
  if (op === 'contains') return `${f} CONTAINS ${quote(scalar(value, name))}`;
  return `${f} NOT CONTAINS ${quote(scalar(value, name))}`;
}

export function compileFilter(filter: unknown): string {
  let nodes = 0;
  const walk = (f: unknown, depth: number, negate: boolean): string => {
    if (++nodes > MAX_NODES || depth > MAX_DEPTH) throw invalid(`filters are limited to ${MAX_NODES} conditions and depth ${MAX_DEPTH}`);
    if (f === null || typeof f !== 'object' || Array.isArray(f)) throw invalid('a filter must be an object');
    const entries = Object.entries(f);
    if (entries.length === 0) throw invalid('a filter object cannot be empty');
    const parts = entries.map(([k, v]) => {
      if (k === 'AND' || k === 'OR') {
        if (!Array.isArray(v) || v.length === 0) throw invalid(`${k} needs a non-empty list of filters`);
        const joiner = (k === 'AND') !== negate ? 'AND' : 'OR';
        return `(${v.map((x) => walk(x, depth + 1, negate)).join(` ${joiner} `)})`;
      }
      if (k === 'NOT') return walk(v, depth + 1, !negate);
      return condition(k, v, negate);
    });
    if (parts.length === 1) return parts[0] as string;
    return `(${parts.join(negate ? ' OR ' : ' AND ')})`;
  };
  return walk(filter, 0, false);
}
