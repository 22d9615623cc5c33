import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { duplicateGroups, planCompaction } from '../../src/memory/duplicates';
import type { MemoryRecord } from '../../src/memory/model';

const now = Date.parse('2026-01-01T00:00:00Z');
let n = 0;
const mem = (text: string, o: Partial<MemoryRecord> = {}): MemoryRecord => ({
  id: `mem_${(n++).toString().padStart(4, '0')}`, text, kind: 'fact', user_id: 'alice', categories: [], entities: [], metadata: {},
  created_at: now - 1000, updated_at: now - 1000, valid_at: now - 1000, source_ids: [], version: 1, ...o,
});

describe('duplicateGroups', () => {
  it('groups current memories whose normalised text, kind and full scope match, oldest first', () => {
    const young = mem('Likes green tea', { created_at: now - 10, source_ids: ['m2'] });
    const old = mem('likes  GREEN tea.', { created_at: now - 20, source_ids: ['m1'] });
    const other = mem('Lives in Paris');
    expect(duplicateGroups([young, other, old], now)).toEqual([[old, young]]);
  });

  it('leaves invalidated, expired, episodes, other kinds and other runs or agents apart', () => {
    const base = mem('Drinks coffee');
    const apart = [
      mem('Drinks coffee', { invalid_at: now - 5 }),
      mem('Drinks coffee', { expires_at: now }),
      mem('Drinks coffee', { kind: 'preference' }),
      mem('Drinks coffee', { run_id: 's2' }),
      mem('Drinks coffee', { agent_id: 'a1' }),
    ];
    expect(duplicateGroups([base, ...apart], now)).toEqual([]);
    const episodes = [mem('ok', { kind: 'episode' }), mem('ok', { kind: 'episode' })];
    expect(duplicateGroups(episodes, now)).toEqual([]);
  });

  it('breaks created_at ties by valid_at, then id', () => {
    const a = mem('x', { valid_at: now - 5 });
    const b = mem('x', { valid_at: now - 9 });
    const c = mem('x', { valid_at: now - 9 });
    expect(duplicateGroups([a, c, b], now)).toEqual([[b, c, a]]);
  });
});

describe('planCompaction', () => {
  it('keeps the oldest with the union of source ids (new version) and deletes the rest, with compaction rows', () => {
    const old = mem('Likes tea', { created_at: now - 20, source_ids: ['m1'], version: 3 });
    const young = mem('likes tea', { created_at: now - 10, source_ids: ['m2', 'm1'], version: 2 });
    const p = planCompaction([young, old], now);
    expect(p.upserts).toEqual([{ ...old, source_ids: ['m1', 'm2'], updated_at: now, version: 4 }]);
    expect(p.removals).toEqual([young.id]);
    expect(p.entries.map((e) => e.row)).toEqual([
      { memory_id: old.id, event: 'UPDATE', at: now, version: 4, memory: 'Likes tea', previous: 'Likes tea', cause: 'compaction' },
      { memory_id: young.id, event: 'DELETE', at: now, version: 3, memory: null, previous: 'likes tea', cause: 'compaction' },
    ]);
  });

  it('does not rewrite the kept memory when the duplicates add no source id', () => {
    const old = mem('Likes tea', { created_at: now - 20, source_ids: ['m1', 'm2'] });
    const young = mem('Likes tea', { created_at: now - 10, source_ids: ['m2'] });
    const p = planCompaction([old, young], now);
    expect(p.upserts).toEqual([]);
    expect(p.removals).toEqual([young.id]);
    expect(p.entries.map((e) => e.row.event)).toEqual(['DELETE']);
  });

  it('plans nothing once applied (applying a plan and planning again is a fixed point)', () => {
    const texts = ['Likes tea', 'likes tea.', 'Lives in Paris', 'LIVES IN PARIS', 'Reads'];
    fc.assert(
      fc.property(fc.array(fc.record({ t: fc.constantFrom(...texts), age: fc.nat(100), src: fc.constantFrom('m1', 'm2', 'm3') }), { maxLength: 12 }), (specs) => {
        const records = specs.map((s) => mem(s.t, { created_at: now - 1000 - s.age, source_ids: [s.src] }));
        const p = planCompaction(records, now);
        const upserted = new Map(p.upserts.map((r) => [r.id, r]));
        const applied = records.filter((r) => !p.removals.includes(r.id)).map((r) => upserted.get(r.id) ?? r);
        expect(planCompaction(applied, now).entries).toEqual([]);
        // Every source id survives on some memory.
        expect(new Set(applied.flatMap((r) => r.source_ids))).toEqual(new Set(records.flatMap((r) => r.source_ids)));
      }),
    );
  });
});
