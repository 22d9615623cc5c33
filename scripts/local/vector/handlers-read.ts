/** Read endpoints: query, query-data, fetch, range. A namespace that does not exist reads as empty. */
import type { Handler, HandlerContext } from './context.js';
import { asItems, asObject, optString, parseIds, parseInclude, type Obj } from './payload.js';
import { parseQuery } from './query-request.js';
import { search } from './search.js';
import { shapeRecord } from './shape.js';
import { badRequest, type StoredRecord } from './types.js';

/** Most records one fetch-by-prefix returns (as on Upstash). */
const MAX_PREFIX_FETCH = 1000;

function runQuery(ctx: HandlerContext, nsName: string, o: Obj, withData: boolean): unknown[] {
  const ns = ctx.store.get(nsName);
  const { plan, flags } = parseQuery(ctx.config, o, withData, ns);
  if (!ns) return [];
  return search(ns, ctx.config.similarity, plan).map((r) => shapeRecord(ctx.config, ns, r.item, flags, r.score));
}

/** A single query → [Score…]; a batch → [[Score…]…], except a one-element batch, answered flat (§2.4). */
const query =
  (withData: boolean): Handler =>
  (ctx, ns, body) => {
    const { items, batch } = asItems(body);
    const results = items.map((o) => runQuery(ctx, ns, o, withData));
    return batch && results.length !== 1 ? results : (results[0] ?? []);
  };

export const handleQuery = query(false);
export const handleQueryData = query(true);

export const handleFetch: Handler = (ctx, nsName, body) => {
  // The SDK sends {ids|prefix, include…}; a bare array of ids is the older documented form.
  const o = Array.isArray(body) ? { ids: body } : asObject(body);
  const flags = parseInclude(o);
  const prefix = optString(o, 'prefix');
  const hasIds = o.ids !== undefined && o.ids !== null;
  if (hasIds === (prefix !== undefined)) throw badRequest('Only one of ids or prefix must be provided.');
  const ns = ctx.store.get(nsName);
  if (hasIds) {
    return parseIds(o.ids).map((id) => {
      const rec = ns?.get(id);
      return ns && rec ? shapeRecord(ctx.config, ns, rec, flags) : null;
    });
  }
  const out: unknown[] = [];
  for (const rec of ns?.records.values() ?? []) {
    if (out.length >= MAX_PREFIX_FETCH) break;
    if (ns && rec.id.startsWith(prefix!)) out.push(shapeRecord(ctx.config, ns, rec, flags));
  }
  return out;
};

/** The cursor is an offset into the (prefix-matching) records in insertion order (§4 item 12). */
function parseCursor(v: unknown): number {
  if (v === undefined || v === null || v === '') return 0;
  const n = typeof v === 'number' ? v : typeof v === 'string' && /^\d+$/.test(v) ? Number(v) : NaN;
  if (!Number.isSafeInteger(n) || n < 0) throw badRequest('cursor must be a non-negative integer or its string form');
  return n;
}

export const handleRange: Handler = (ctx, nsName, body) => {
  const o = asObject(body);
  const offset = parseCursor(o.cursor);
  const limit = o.limit;
  if (typeof limit !== 'number' || !Number.isInteger(limit) || limit < 1) throw badRequest('limit must be a positive integer');
  const prefix = optString(o, 'prefix') ?? '';
  const flags = parseInclude(o);
  const ns = ctx.store.get(nsName);
  const page: StoredRecord[] = [];
  let seen = 0;
  let more = false;
  for (const rec of ns?.records.values() ?? []) {
    if (!rec.id.startsWith(prefix)) continue;
    if (seen++ < offset) continue;
    // One match beyond the page tells us whether to hand out a cursor: no empty last page (§2.4).
    if (page.length === limit) {
      more = true;
      break;
    }
    page.push(rec);
  }
  return {
    nextCursor: more ? String(offset + page.length) : '',
    vectors: ns ? page.map((rec) => shapeRecord(ctx.config, ns, rec, flags)) : [],
  };
};
