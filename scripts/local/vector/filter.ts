/**
 * The filter entry point: source text → predicate, with a small cache because clients repeat the same
 * filter on every query (Engram filters each search on validity and expiry).
 */
import { FilterSyntaxError } from './filter-lexer.js';
import { compileFilter, type Predicate } from './filter-eval.js';
import { parseFilter } from './filter-parser.js';
import { badRequest } from './types.js';

const CACHE_SIZE = 256;
const cache = new Map<string, Predicate>();

/** The predicate of `src`, or undefined for an empty filter. A syntax error is a 400 naming its position. */
export function filterPredicate(src: string | undefined): Predicate | undefined {
  if (src === undefined || src.trim() === '') return undefined;
  const hit = cache.get(src);
  if (hit) return hit;
  let predicate: Predicate;
  try {
    predicate = compileFilter(parseFilter(src));
  } catch (err) {
    if (err instanceof FilterSyntaxError) throw badRequest(err.message);
    throw err;
  }
  if (cache.size >= CACHE_SIZE) cache.delete(cache.keys().next().value!);
  cache.set(src, predicate);
  return predicate;
}
