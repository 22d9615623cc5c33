/**
 * The filter every read adds: the caller's scope (the namespace already holds the primary scope), and
 * what counts as visible — current memories by default, or what was true at `as_of`.
 */
import { compileFilter, quote } from './filters';
import type { Kind, MemoryRecord, Scope } from './model';

export interface Visibility {
  now: number;
  as_of?: number;
  include_invalidated?: boolean;
  include_expired?: boolean;
}

export function readFilter(opts: { scope: Scope; visibility: Visibility; kinds?: Kind[]; filters?: unknown }): string {
  const parts: string[] = [];
  const { scope, visibility: v } = opts;
  // The namespace is the primary scope; narrower ids filter inside it.
  if (scope.user_id && scope.agent_id) parts.push(`agent_id = ${quote(scope.agent_id)}`);
  if ((scope.user_id || scope.agent_id) && scope.run_id) parts.push(`run_id = ${quote(scope.run_id)}`);
  if (v.as_of !== undefined) {
    parts.push(`valid_at <= ${v.as_of}`, `(HAS NOT FIELD invalid_at OR invalid_at > ${v.as_of})`);
  } else if (!v.include_invalidated) {
    parts.push('HAS NOT FIELD invalid_at');
  }
  if (!v.include_expired) parts.push(`(HAS NOT FIELD expires_at OR expires_at > ${v.now})`);
  if (opts.kinds && opts.kinds.length > 0) parts.push(`kind IN (${opts.kinds.map((k) => quote(k)).join(', ')})`);
  if (opts.filters !== undefined) parts.push(`(${compileFilter(opts.filters)})`);
  return parts.join(' AND ');
}

/** The same scope rule in code, for records read without a Vector filter (listings, graph edges). */
export function inScope(r: MemoryRecord, scope: Scope): boolean {
  return (scope.user_id === undefined || r.user_id === scope.user_id) &&
    (scope.agent_id === undefined || r.agent_id === scope.agent_id) &&
    (scope.run_id === undefined || r.run_id === scope.run_id);
}
