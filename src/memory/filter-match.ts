/**
 * An Engram filter (the search language of memory/filters.ts) evaluated on one memory in code, for
 * listings: a Vector range read cannot filter. It mirrors the compiled Vector filter: NOT is pushed
 * down to the conditions (De Morgan), and a condition on a field the memory lacks is false, negated
 * or not. Times are compared as epoch ms.
 */
import { invalid } from '../errors';
import type { ApiMemory } from './model';

export type Filter = Record<string, unknown>;

const isObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);

const NEGATED: Record<string, string> = { eq: 'ne', ne: 'eq', gt: 'lte', gte: 'lt', lt: 'gte', lte: 'gt', in: 'nin', nin: 'in', contains: 'ncontains' };
/** The memory fields a filter can name (the same set as filters.ts); any other name is a metadata key. */
const MEMORY_FIELDS = new Set(['kind', 'categories', 'entities', 'created_at', 'updated_at', 'valid_at', 'expires_at', 'subject', 'predicate', 'object', 'source_ids']);
const TIMES = new Set(['created_at', 'updated_at', 'valid_at', 'expires_at']);

function fieldValue(m: ApiMemory, name: string): unknown {
  if (!MEMORY_FIELDS.has(name)) return m.metadata[name.startsWith('metadata.') ? name.slice(9) : name];
  const raw: unknown = (m as unknown as Record<string, unknown>)[name];
  return TIMES.has(name) && typeof raw === 'string' ? Date.parse(raw) : raw;
}

function compare(op: string, have: unknown, want: unknown): boolean {
  if (have === undefined || have === null) return false;
  if (op === 'contains' || op === 'ncontains') return Array.isArray(have) && have.includes(want) === (op === 'contains');
  if (Array.isArray(have) || typeof have === 'object') return false;
  if (op === 'in' || op === 'nin') return Array.isArray(want) && want.includes(have) === (op === 'in');
  if (op === 'eq') return have === want;
  if (op === 'ne') return have !== want;
  if (typeof have !== typeof want || (typeof have !== 'number' && typeof have !== 'string')) return false;
  const [a, b] = [have as number | string, want as number | string];
  return op === 'gt' ? a > b : op === 'gte' ? a >= b : op === 'lt' ? a < b : op === 'lte' ? a <= b : false;
}

/** Evaluates an Engram filter on a memory, with the Vector filter's semantics (see the header). */
export function matchesFilter(filter: Filter, m: ApiMemory, negate = false): boolean {
  const parts = Object.entries(filter).map(([k, v]) => {
    if (k === 'AND' || k === 'OR') {
      const results = (v as Filter[]).map((x) => matchesFilter(x, m, negate));
      return (k === 'AND') !== negate ? results.every(Boolean) : results.some(Boolean);
    }
    if (k === 'NOT') return matchesFilter(v as Filter, m, !negate);
    const [op, want] = isObject(v) && Object.keys(v).length === 1 ? (Object.entries(v)[0] as [string, unknown]) : ['eq', v];
    if (!(op in NEGATED)) throw invalid(`unknown filter operator "${op.slice(0, 40)}"`);
    return compare(negate ? (NEGATED[op] as string) : op, fieldValue(m, k), want);
  });
  return negate ? parts.some(Boolean) : parts.every(Boolean);
}
