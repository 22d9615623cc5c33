/**
 * Mem0's `filters` (the v2/v3 language of search and get-all) → an Engram scope plus a filter in
 * Engram's own language (memory/filters.ts). Pure; every refusal is INVALID_INPUT naming the cause.
 *
 * - Entity ids (`user_id`, `agent_id`, `run_id`) pick the scope: each must be an exact id joined by AND
 *   at the top (sibling keys, `AND` lists, `{"eq": id}` or a one-item `{"in": [id]}`), because Engram
 *   reads one scope at a time. OR / NOT over entity ids, `ne`, the `*` wildcard and `app_id` (Engram has
 *   no apps) are refused. At least one id is required, as Mem0 requires.
 * - `created_at`, `updated_at` (when Engram stored or last changed the memory), `timestamp` (= valid_at:
 *   when it happened — what an add's `timestamp` sets) and `expiration_date` (= expires_at): a bare
 *   value or one of eq, ne, gt, gte, lt, lte, in. A date "YYYY-MM-DD" is that whole UTC day, an ISO
 *   time that instant, a number epoch seconds. An expiration date D is Engram's expires_at at the
 *   start of D + 1 (hidden after D), so its bounds move one day.
 * - `categories`: `{"in": [..]}` (any of them) or `{"contains": c}`, both exact category names.
 * - `metadata`: `{"key": value}` or `{"key": {"op": value}}`, each key becomes `metadata.key`.
 * - `AND`, `OR`, `NOT` nest; `NOT` over a list excludes anything matching any item.
 * - `keywords`, `text`, `memory_ids`, `keywords_search` and unknown fields are refused.
 *
 * Search hands the result to the Vector query; get-all evaluates it in code (memory/filter-match.ts).
 */
import { invalid } from '../errors';
import { compileFilter } from '../memory/filters';
import type { Scope } from '../memory/model';
import { ScopeId } from './schemas';

export type Filter = Record<string, unknown>;

const DAY_MS = 86_400_000;
const MAX_DEPTH = 8;
const ENTITY_IDS = ['user_id', 'agent_id', 'run_id'] as const;
const TIME_FIELDS: Record<string, string> = { created_at: 'created_at', updated_at: 'updated_at', timestamp: 'valid_at', expiration_date: 'expires_at' };
const UNSUPPORTED = new Set(['keywords', 'text', 'memory_ids', 'keywords_search']);

const isObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);

function only(spec: unknown, what: string): [string, unknown] {
  if (!isObject(spec)) return ['eq', spec];
  const entries = Object.entries(spec);
  if (entries.length !== 1) throw invalid(`filter on ${what} needs exactly one operator`);
  return entries[0] as [string, unknown];
}

/** The top level as one conjunction: sibling keys and (nested) AND lists. */
function conjuncts(node: unknown): Array<[string, unknown]> {
  if (!isObject(node)) throw invalid('filters must be an object');
  return Object.entries(node).flatMap(([k, v]): Array<[string, unknown]> => {
    if (k !== 'AND') return [[k, v]];
    if (!Array.isArray(v) || v.length === 0) throw invalid('AND needs a non-empty list of filters');
    return v.flatMap(conjuncts);
  });
}

function entityId(key: string, spec: unknown): string {
  const [op, value] = only(spec, key);
  const id = op === 'in' && Array.isArray(value) && value.length === 1 ? value[0] : op === 'eq' ? value : undefined;
  if (id === '*') throw invalid(`${key}: the "*" wildcard is not supported; leave ${key} out to match any`);
  if (id === undefined) throw invalid(`${key}: only an exact id is supported (Engram reads one scope at a time)`);
  const parsed = ScopeId.safeParse(id);
  if (!parsed.success) throw invalid(`${key} ${parsed.error.issues[0]?.message ?? 'is not a valid id'}`);
  return parsed.data;
}

/** Splits Mem0 filters into the scope they pin and the rest, translated (undefined when nothing is left). */
export function splitFilters(filters: unknown): { scope: Scope; filter?: Filter } {
  const scope: Scope = {};
  const rest: Filter[] = [];
  for (const [key, spec] of conjuncts(filters)) {
    if (key === 'app_id') throw invalid('app_id is not supported: Engram scopes memories by user_id, agent_id and run_id');
    const entity = ENTITY_IDS.find((k) => k === key);
    if (!entity) {
      rest.push(translate({ [key]: spec }, 0));
      continue;
    }
    const id = entityId(key, spec);
    if (scope[entity] !== undefined && scope[entity] !== id) throw invalid(`${key} is given twice with different ids`);
    scope[entity] = id;
  }
  if (!scope.user_id && !scope.agent_id && !scope.run_id) throw invalid('filters must name user_id, agent_id or run_id, e.g. {"user_id": "alice"}');
  if (rest.length === 0) return { scope };
  const filter = rest.length === 1 ? (rest[0] as Filter) : { AND: rest };
  // Compiled once here so search (Vector filter) and get-all (matchesFilter) refuse the same input.
  compileFilter(filter);
  return { scope, filter };
}

function translate(node: unknown, depth: number): Filter {
  if (depth > MAX_DEPTH) throw invalid(`filters are limited to depth ${MAX_DEPTH}`);
  if (!isObject(node)) throw invalid('a filter must be an object');
  const parts = Object.entries(node).map(([k, v]) => term(k, v, depth));
  if (parts.length === 0) throw invalid('a filter object cannot be empty');
  return parts.length === 1 ? (parts[0] as Filter) : { AND: parts };
}

function list(v: unknown, what: string): unknown[] {
  if (!Array.isArray(v) || v.length === 0 || v.length > 100) throw invalid(`${what} needs a list of 1 to 100 items`);
  return v;
}

function term(key: string, v: unknown, depth: number): Filter {
  if (key === 'AND' || key === 'OR') return { [key]: list(v, key).map((x) => translate(x, depth + 1)) };
  if (key === 'NOT') return { NOT: Array.isArray(v) ? { OR: list(v, 'NOT').map((x) => translate(x, depth + 1)) } : translate(v, depth + 1) };
  if (key === 'user_id' || key === 'agent_id' || key === 'run_id' || key === 'app_id') {
    throw invalid(`${key} can only be an exact id at the top level of filters, joined by AND`);
  }
  const timeField = TIME_FIELDS[key];
  if (timeField) return timeTerm(timeField, key, v);
  if (key === 'categories') return categoriesTerm(v);
  if (key === 'metadata') return metadataTerm(v);
  if (UNSUPPORTED.has(key)) throw invalid(`filter field ${key} is not supported by Engram`);
  throw invalid(`unknown filter field "${key.slice(0, 64)}": use AND, OR, NOT, user_id, agent_id, run_id, created_at, updated_at, timestamp, expiration_date, categories or metadata`);
}

/** A time value as the half-open range of epoch ms it stands for. */
function timeRange(value: unknown, what: string, dayOnly: boolean): [number, number] {
  let ms: number;
  let span = 1;
  if (typeof value === 'number' && Number.isFinite(value)) ms = value * 1000;
  else if (typeof value === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(value)) [ms, span] = [Date.parse(`${value}T00:00:00Z`), DAY_MS];
  else if (typeof value === 'string') ms = Date.parse(value);
  else ms = NaN;
  if (!Number.isFinite(ms)) throw invalid(`${what} needs a date (YYYY-MM-DD), an ISO time or epoch seconds`);
  if (dayOnly) [ms, span] = [Math.floor(ms / DAY_MS) * DAY_MS, DAY_MS];
  return [ms, ms + span];
}

function timeTerm(field: string, key: string, spec: unknown): Filter {
  const [op, value] = only(spec, key);
  const expiry = key === 'expiration_date';
  const range = (v: unknown): [number, number] => {
    const [s, e] = timeRange(v, key, expiry);
    return expiry ? [s + DAY_MS, e + DAY_MS] : [s, e];
  };
  const within = ([s, e]: [number, number]): Filter => ({ AND: [{ [field]: { gte: s } }, { [field]: { lt: e } }] });
  switch (op) {
    case 'eq':
      return within(range(value));
    case 'ne': {
      const [s, e] = range(value);
      return { OR: [{ [field]: { lt: s } }, { [field]: { gte: e } }] };
    }
    case 'gt':
      return { [field]: { gte: range(value)[1] } };
    case 'gte':
      return { [field]: { gte: range(value)[0] } };
    case 'lt':
      return { [field]: { lt: range(value)[0] } };
    case 'lte':
      return { [field]: { lt: range(value)[1] } };
    case 'in':
      return { OR: list(value, `${key} in`).map((v) => within(range(v))) };
    default:
      throw invalid(`${key} takes eq, ne, gt, gte, lt, lte or in, not "${op.slice(0, 40)}"`);
  }
}

function categoriesTerm(spec: unknown): Filter {
  const [op, value] = only(spec, 'categories');
  if (op === 'contains' && typeof value === 'string') return { categories: { contains: value } };
  if (op === 'in') return { OR: list(value, 'categories in').map((c) => ({ categories: { contains: c } })) };
  throw invalid('categories takes {"in": [names]} or {"contains": name}');
}

function metadataTerm(spec: unknown): Filter {
  if (!isObject(spec) || Object.keys(spec).length === 0) throw invalid('metadata takes an object of {"key": value} conditions');
  const parts = Object.entries(spec).map(([k, v]): Filter => ({ [`metadata.${k}`]: isObject(v) ? v : { eq: v } }));
  return parts.length === 1 ? (parts[0] as Filter) : { AND: parts };
}
