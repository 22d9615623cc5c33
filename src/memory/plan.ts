/**
 * Turning the model's operations into writes. Pure: no I/O, `now` injected.
 *
 * Rules:
 * - A `ref` the model invents (not in `existing`) is ignored: the model can only touch memories it was shown.
 * - ADD of a text already current in the scope is a NOOP (ids are content-derived).
 * - INVALIDATE closes the old memory at the new fact's valid_at and links the two; nothing true is
 *   destroyed. If the "new" fact is older than the one it contradicts (a past fact learned late), the
 *   newer one stays open and the late fact is stored already closed at the newer one's valid_at.
 * - A replacement (or a fact stored already closed) gets an id that names its valid_at, so a fact that
 *   comes back after being replaced is a new record and the old window stays in the record.
 * - Every turn becomes an episode memory that expires `episodeTtlMs` after ingestion.
 */
import { episodeContext } from './episode-context';
import type { ExtractionOperation, ExtractionOutput } from './extraction-schema';
import { episodeId, memoryId, normaliseText } from './ids';
import type { ApplyResult, HistoryRow, MemoryRecord, ResultEvent, Scope, Turn } from './model';

export interface PlanInput {
  scope: Scope;
  cause: string;
  now: number;
  turns: Turn[];
  existing: MemoryRecord[];
  output: Pick<ExtractionOutput, 'operations'>;
  episodeTtlMs: number;
  metadata: Record<string, unknown>;
}

export interface Plan {
  writes: Array<{ record: MemoryRecord; row: HistoryRow }>;
  results: ApplyResult[];
}

const uniq = (xs: string[]) => [...new Set(xs)];

export function planExtraction(input: PlanInput): Plan {
  const { scope, now, turns, existing, cause } = input;
  const byRef = new Map(existing.map((r, i) => [i + 1, r]));
  const current = new Map<string, MemoryRecord>(existing.map((r) => [r.id, r]));
  const writes = new Map<string, { record: MemoryRecord; row: HistoryRow }>();
  const results: ApplyResult[] = [];
  const newest = turns.reduce((m, t) => Math.max(m, t.created_at), 0) || now;

  const put = (record: MemoryRecord, event: ResultEvent, previous: string | null) => {
    writes.set(record.id, { record, row: { memory_id: record.id, event, at: now, version: record.version, memory: record.text, previous, cause } });
    current.set(record.id, record);
    results.push({ id: record.id, event, memory: record.text, ...(previous !== null && { previous }) });
  };
  const opTurns = (op: ExtractionOperation) => op.turns.map((i) => turns[i]).filter((t): t is Turn => t !== undefined);
  const timeOf = (iso: string | null, op: ExtractionOperation) => {
    const parsed = iso ? Date.parse(iso) : NaN;
    if (Number.isFinite(parsed)) return parsed;
    const ts = opTurns(op).map((t) => t.created_at);
    return ts.length ? Math.max(...ts) : newest;
  };
  const fresh = (op: ExtractionOperation, text: string): MemoryRecord => {
    const kind = op.kind ?? 'fact';
    const invalidAt = op.invalid_at ? timeOf(op.invalid_at, op) : undefined;
    return {
      id: memoryId(scope, kind, text),
      text,
      kind,
      ...scope,
      categories: uniq(op.categories),
      entities: uniq(op.entities),
      metadata: input.metadata,
      created_at: now,
      updated_at: now,
      valid_at: timeOf(op.valid_at, op),
      ...(invalidAt !== undefined && { invalid_at: invalidAt }),
      source_ids: uniq(opTurns(op).map((t) => t.id)),
      ...(op.subject && op.predicate && op.object && { subject: op.subject, predicate: op.predicate, object: op.object }),
      version: 1,
    };
  };
  const add = (op: ExtractionOperation, text: string, link?: Partial<MemoryRecord>) => {
    const base = { ...fresh(op, text), ...link };
    // A replacement or an already-closed fact holds for one window of time: its id names the window, so a
    // fact that comes back ("likes coffee" again after "dislikes coffee") is a new record beside the old one.
    const record = link ? { ...base, id: memoryId(scope, base.kind, text, base.valid_at) } : base;
    const known = current.get(record.id);
    if (known && known.invalid_at === undefined) return results.push({ id: known.id, event: 'NOOP', memory: known.text }), known;
    put(record, 'ADD', null);
    return record;
  };

  for (const op of input.output.operations) {
    const target = op.ref === null ? undefined : byRef.get(op.ref);
    const text = op.text?.trim() || null;
    if (op.event === 'ADD') {
      if (text) add(op, text);
    } else if (op.event === 'NOOP') {
      if (target) results.push({ id: target.id, event: 'NOOP', memory: target.text });
    } else if (!target || target.invalid_at !== undefined) {
      // UPDATE/INVALIDATE of an unknown or already-closed memory: keep the new fact, if any.
      if (text) add(op, text);
    } else if (op.event === 'UPDATE') {
      if (!text || normaliseText(text) === normaliseText(target.text)) continue;
      const tracked = current.get(target.id) ?? target;
      put({ ...tracked, text, version: tracked.version + 1, updated_at: now, categories: uniq([...tracked.categories, ...op.categories]),
        entities: uniq([...tracked.entities, ...op.entities]), source_ids: uniq([...tracked.source_ids, ...opTurns(op).map((t) => t.id)]) }, 'UPDATE', tracked.text);
    } else {
      const at = timeOf(op.valid_at, op);
      const tracked = current.get(target.id) ?? target;
      if (at < tracked.valid_at) {
        // A past fact learned late: it held until the newer fact began; the newer one stays open.
        if (text) add({ ...op, invalid_at: null }, text, { invalid_at: tracked.valid_at, superseded_by: tracked.id });
        continue;
      }
      const replacement = text ? add(op, text, { supersedes: tracked.id }) : undefined;
      put({ ...tracked, invalid_at: at, updated_at: now, version: tracked.version + 1,
        ...(replacement && replacement.id !== tracked.id && { superseded_by: replacement.id }) }, 'INVALIDATE', tracked.text);
    }
  }

  for (const t of turns) {
    const record = episodeRecord(scope, t, { now, expiresAt: now + input.episodeTtlMs, metadata: input.metadata });
    writes.set(record.id, { record, row: { memory_id: record.id, event: 'ADD', at: now, version: 1, memory: record.text, previous: null, cause } });
  }
  return { writes: [...writes.values()], results };
}

/**
 * A turn kept verbatim as an episode memory (id derived from the scope and the message id); the
 * speaker and day are indexed with it as context (episode-context.ts), not added to its text.
 */
export function episodeRecord(scope: Scope, t: Turn, opts: { now: number; expiresAt: number; metadata: Record<string, unknown> }): MemoryRecord {
  const context = episodeContext(t);
  return {
    id: episodeId(scope, t.id), text: t.content, kind: 'episode', ...scope, categories: [], entities: [],
    metadata: { ...opts.metadata, role: t.role, ...(t.name !== undefined && { name: t.name }) },
    created_at: opts.now, updated_at: opts.now, valid_at: t.created_at, expires_at: opts.expiresAt, source_ids: [t.id],
    ...(context !== undefined && { context }), version: 1,
  };
}
