import { describe, expect, it } from 'vitest';
import type { ExtractionOperation } from '../../src/memory/extraction-schema';
import type { MemoryRecord, Turn } from '../../src/memory/model';
import { planExtraction } from '../../src/memory/plan';

const scope = { user_id: 'alice' };
const now = Date.parse('2026-01-01T00:00:00Z');
const turns: Turn[] = [{ id: 'm1', role: 'user', content: 'I just started at Anthropic', created_at: now - 1000, seq: 1 }];
const op = (o: Partial<ExtractionOperation>): ExtractionOperation => ({
  event: 'ADD', ref: null, text: null, kind: 'fact', categories: [], entities: [], subject: null, predicate: null, object: null, valid_at: null, invalid_at: null, turns: [0], ...o,
});
const google: MemoryRecord = {
  id: 'mem_google', text: 'Works at Google', kind: 'fact', user_id: 'alice', categories: [], entities: [], metadata: {},
  created_at: now - 1e10, updated_at: now - 1e10, valid_at: Date.parse('2019-01-01'), source_ids: [], version: 1,
};
const plan = (operations: ExtractionOperation[], existing: MemoryRecord[] = []) =>
  planExtraction({ scope, cause: 'evt', now, turns, existing, output: { operations }, episodeTtlMs: 1000, metadata: {} });

describe('planExtraction', () => {
  it('closes the old fact at the new one’s valid_at and links both ways', () => {
    const p = plan([op({ event: 'INVALIDATE', ref: 1, text: 'Works at Anthropic', valid_at: '2025-03-01T00:00:00Z' })], [google]);
    const old = p.writes.find((w) => w.record.id === 'mem_google')!.record;
    const next = p.writes.find((w) => w.record.text === 'Works at Anthropic')!.record;
    expect(old.invalid_at).toBe(Date.parse('2025-03-01T00:00:00Z'));
    expect(old.superseded_by).toBe(next.id);
    expect(next.supersedes).toBe('mem_google');
    expect(next.source_ids).toEqual(['m1']);
    expect(p.results.map((r) => r.event).sort()).toEqual(['ADD', 'INVALIDATE']);
  });

  it('stores a past fact learned late as already closed, leaving the newer fact open', () => {
    const p = plan([op({ event: 'INVALIDATE', ref: 1, text: 'Works at IBM', valid_at: '2015-01-01T00:00:00Z' })], [google]);
    expect(p.writes.find((w) => w.record.id === 'mem_google')).toBeUndefined();
    const ibm = p.writes.find((w) => w.record.text === 'Works at IBM')!.record;
    expect(ibm.invalid_at).toBe(google.valid_at);
  });

  it('ignores invented refs and makes a repeated ADD a NOOP', () => {
    const p = plan([op({ event: 'UPDATE', ref: 7, text: null }), op({ text: 'Likes tea' }), op({ text: 'likes tea.' })]);
    expect(p.results.map((r) => r.event)).toEqual(['ADD', 'NOOP']);
  });

  it('keeps every turn as an expiring episode with a content-derived id', () => {
    const a = plan([]);
    const b = plan([]);
    expect(a.writes).toHaveLength(1);
    expect(a.writes[0]!.record).toMatchObject({ kind: 'episode', expires_at: now + 1000, source_ids: ['m1'] });
    expect(a.writes[0]!.record.id).toBe(b.writes[0]!.record.id);
  });
});
