/**
 * Resumable queries (UPSTASH_PROTOCOLS.md §2.4): `resumable-query[-data]` ranks once and returns the
 * first topK under a uuid; `resumable-query-next` hands out the next `additionalK`; `-end` forgets it.
 * A query idle for longer than its `maxIdle` seconds (on the server's clock) is dropped.
 * Answers are wrapped in `result`, as both SDKs read them (§4 item 14).
 */
import { randomUUID } from 'node:crypto';
import type { Handler, HandlerContext } from './context.js';
import type { Namespace } from './namespace.js';
import type { IncludeFlags } from './payload.js';
import { asObject, intInRange, optString, type Obj } from './payload.js';
import { parseQuery } from './query-request.js';
import { search } from './search.js';
import { shapeRecord } from './shape.js';
import type { Ranked } from './top-k.js';
import { VectorError, type StoredRecord } from './types.js';

/** How far a resumable query ranks up front; later pages come from this list. */
const RESUMABLE_DEPTH = 1000;
const DEFAULT_MAX_IDLE_S = 3600;

interface OpenQuery {
  /** Undefined when the namespace did not exist: the query then simply has no results. */
  ns: Namespace | undefined;
  ranked: Ranked<StoredRecord>[];
  next: number;
  flags: IncludeFlags;
  maxIdleMs: number;
  lastUsed: number;
}

export class ResumableQueries {
  private readonly open = new Map<string, OpenQuery>();

  clear(): void {
    this.open.clear();
  }

  private sweep(now: number): void {
    for (const [uuid, q] of this.open) if (now - q.lastUsed > q.maxIdleMs) this.open.delete(uuid);
  }

  /** The next `k` results still present in their namespace (deleted records are skipped). */
  private take(ctx: HandlerContext, q: OpenQuery, k: number): unknown[] {
    const out: unknown[] = [];
    const ns = q.ns;
    while (ns && out.length < k && q.next < q.ranked.length) {
      const r = q.ranked[q.next++]!;
      if (ns.get(r.item.id) === r.item) out.push(shapeRecord(ctx.config, ns, r.item, q.flags, r.score));
    }
    return out;
  }

  start(ctx: HandlerContext, nsName: string, o: Obj, withData: boolean): { uuid: string; scores: unknown[] } {
    const ns = ctx.store.get(nsName);
    const { plan, flags } = parseQuery(ctx.config, o, withData, ns);
    const maxIdle = o.maxIdle === undefined ? DEFAULT_MAX_IDLE_S : intInRange(o.maxIdle, 'maxIdle', 1, 86_400);
    const now = ctx.clock.now();
    this.sweep(now);
    const ranked = ns ? search(ns, ctx.config.similarity, { ...plan, topK: Math.max(plan.topK, RESUMABLE_DEPTH) }) : [];
    const q: OpenQuery = { ns, ranked, next: 0, flags, maxIdleMs: maxIdle * 1000, lastUsed: now };
    const uuid = randomUUID();
    this.open.set(uuid, q);
    return { uuid, scores: this.take(ctx, q, plan.topK) };
  }

  private find(ctx: HandlerContext, o: Obj): { uuid: string; q: OpenQuery } {
    const uuid = optString(o, 'uuid') ?? '';
    const now = ctx.clock.now();
    this.sweep(now);
    const q = this.open.get(uuid);
    if (!q) throw new VectorError(404, `Resumable query ${uuid} does not exist or has expired`);
    q.lastUsed = now;
    return { uuid, q };
  }

  next(ctx: HandlerContext, o: Obj): unknown[] {
    const { q } = this.find(ctx, o);
    return this.take(ctx, q, intInRange(o.additionalK, 'additionalK', 1, RESUMABLE_DEPTH));
  }

  end(ctx: HandlerContext, o: Obj): string {
    this.open.delete(this.find(ctx, o).uuid);
    return 'Success';
  }
}

export const handleResumableStart =
  (withData: boolean): Handler =>
  (ctx, ns, body) =>
    ctx.resumable.start(ctx, ns, asObject(body), withData);
export const handleResumableNext: Handler = (ctx, _ns, body) => ctx.resumable.next(ctx, asObject(body));
export const handleResumableEnd: Handler = (ctx, _ns, body) => ctx.resumable.end(ctx, asObject(body));
