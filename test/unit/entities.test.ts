import { describe, expect, it } from 'vitest';
import { AMBIGUOUS, type Entity, type EntityDirectory, entityKey, queryNames, resolveMentions, similarity } from '../../src/memory/entities';
import { resolveOutput } from '../../src/memory/graph-extract';
import type { ExtractionOperation } from '../../src/memory/extraction-schema';
import { fuse, rank } from '../../src/memory/rank';
import type { MemoryRecord } from '../../src/memory/model';

const now = Date.parse('2025-06-01T00:00:00Z');

function dir(...entities: Array<Partial<Entity> & { name: string }>): EntityDirectory {
  const d: EntityDirectory = { entities: new Map(), aliases: new Map() };
  for (const e of entities) {
    const key = entityKey(e.name);
    d.entities.set(key, { key, type: 'other', aliases: [], created_at: 0, updated_at: 0, ...e });
    d.aliases.set(key, key);
    for (const a of e.aliases ?? []) d.aliases.set(a, key);
  }
  return d;
}

describe('entityKey', () => {
  it('normalises case, punctuation, articles, possessives and corporate suffixes', () => {
    expect(entityKey('  The Anthropic, Inc. ')).toBe('anthropic');
    expect(entityKey("Alice's")).toBe('alice');
    expect(entityKey('São  Paulo')).toBe('são paulo');
    expect(entityKey('C++')).toBe('c++');
    expect(entityKey('!!!')).toBe('');
  });
});

describe('resolveMentions', () => {
  it('matches exactly, then by a known alias, and creates what it cannot match', () => {
    const d = dir({ name: 'Robert Smith', type: 'person', aliases: ['bob'] });
    const r = resolveMentions(d, [{ name: 'robert smith' }, { name: 'Bob' }, { name: 'Carol', type: 'person' }], now);
    expect(r.resolve('Bob')?.name).toBe('Robert Smith');
    expect(r.resolve('ROBERT SMITH')?.name).toBe('Robert Smith');
    expect(r.resolve('Carol')).toMatchObject({ key: 'carol', name: 'Carol', type: 'person', created_at: now });
    expect(r.changed.map((e) => e.key)).toEqual(['carol']);
    expect(r.aliasWrites).toEqual([['carol', 'carol']]);
  });

  it('learns an alias the conversation declares, for the next mention', () => {
    const first = resolveMentions(dir(), [{ name: 'Robert Smith', type: 'person', aliases: ['Bob'] }], now);
    expect(first.changed).toEqual([expect.objectContaining({ key: 'robert smith', aliases: ['bob'] })]);
    expect(first.aliasWrites).toContainEqual(['bob', 'robert smith']);
    // A declared alias that is already another entity's name links the two names to that entity.
    const later = resolveMentions(dir({ name: 'Robert Smith', type: 'person' }), [{ name: 'Rob', aliases: ['Robert Smith'] }], now);
    expect(later.resolve('Rob')?.key).toBe('robert smith');
    expect(later.aliasWrites).toContainEqual(['rob', 'robert smith']);
  });

  it('never merges on a weak signal: a shared first name, a contained name, a different type', () => {
    const d = dir({ name: 'Alice Chen', type: 'person' }, { name: 'Alice Park', type: 'person' }, { name: 'Jordan', type: 'place' });
    const r = resolveMentions(d, [{ name: 'Alice' }, { name: 'Chen' }, { name: 'Jordan', type: 'person' }], now);
    expect(r.resolve('Alice')?.key).toBe('alice');
    expect(r.resolve('Chen')?.key).toBe('chen');
    // Same name, other type: an exact name match still wins (the type is not evidence enough to split).
    expect(r.resolve('Jordan')?.key).toBe('jordan');
  });

  it('accepts a near spelling of exactly one entity of a compatible type', () => {
    expect(similarity('anthropic', 'anthropik')).toBeGreaterThan(0.7);
    const d = dir({ name: 'Kubernetes', type: 'product' });
    expect(resolveMentions(d, [{ name: 'Kubernetess' }], now).resolve('Kubernetess')?.key).toBe('kubernetes');
    expect(resolveMentions(d, [{ name: 'Kubernetess', type: 'person' }], now).resolve('Kubernetess')?.key).toBe('kubernetess');
    // Two candidates: no merge.
    const two = dir({ name: 'Marianne', type: 'person' }, { name: 'Mariannes', type: 'person' });
    expect(resolveMentions(two, [{ name: 'Mariannee' }], now).resolve('Mariannee')?.key).toBe('mariannee');
  });

  it('an alias claimed by two entities becomes ambiguous and leads to neither', () => {
    const d = dir({ name: 'Bob Jones', type: 'person', aliases: ['bob'] });
    const r = resolveMentions(d, [{ name: 'Robert Smith', type: 'person', aliases: ['Bob'] }, { name: 'Bob' }], now);
    expect(r.aliasWrites).toContainEqual(['bob', AMBIGUOUS]);
    expect(r.changed.find((e) => e.key === 'bob jones')?.aliases).toEqual([]);
    expect(r.resolve('Bob')?.key).toBe('bob');
    // An entity named exactly that is still found by its own name, and kept (not re-created).
    const later = resolveMentions({ entities: new Map([...d.entities, ['bob', { key: 'bob', name: 'Bob', type: 'person', aliases: [], created_at: 1, updated_at: 1 }]]), aliases: new Map([...d.aliases, ['bob', AMBIGUOUS]]) }, [{ name: 'bob' }], now);
    expect(later.resolve('BOB')).toMatchObject({ key: 'bob', created_at: 1 });
    expect(later.changed).toEqual([]);
  });
});

const op = (o: Partial<ExtractionOperation>): ExtractionOperation => ({
  event: 'ADD', ref: null, text: 'x', kind: 'fact', categories: [], entities: [], subject: null, predicate: null, object: null, valid_at: null, invalid_at: null, turns: [0], ...o,
});

describe('resolveOutput', () => {
  it('rewrites subjects, entity objects and entities to canonical names; value objects stay values', () => {
    const d = dir({ name: 'Robert Smith', type: 'person', aliases: ['bob'] });
    const out = resolveOutput(d, {
      operations: [
        op({ subject: 'Bob', predicate: 'works_at', object: 'acme corp', entities: ['Acme'] }),
        op({ subject: 'user', predicate: 'likes', object: 'spicy food', entities: [] }),
      ],
      entities: [{ name: 'Acme', type: 'organisation', aliases: [] }],
    }, now);
    expect(out.output.operations[0]).toMatchObject({ subject: 'Robert Smith', object: 'Acme', entities: ['Acme'] });
    expect(out.output.operations[1]).toMatchObject({ subject: 'user', object: 'spicy food', entities: [] });
    expect(out.entities.map((e) => [e.key, e.type]).sort()).toEqual([['acme', 'organisation'], ['user', 'person']]);
  });
});

describe('queryNames', () => {
  it('lists every run of one to four words, without lone stop words', () => {
    const names = queryNames("Where does Alice Park's sister live?");
    expect(names).toContain('alice park');
    expect(names).toContain('alice');
    expect(names).not.toContain('where');
    expect(names).not.toContain('does');
    expect(queryNames('')).toEqual([]);
  });
});

describe('fuse', () => {
  const rec = (id: string): MemoryRecord => ({ id, text: id, kind: 'fact', categories: [], entities: [], metadata: {}, created_at: now, updated_at: now, valid_at: now, source_ids: [], version: 1 });
  it('ranks a memory in both lists above memories in one, and keeps graph-only facts', () => {
    const vector = rank([{ record: rec('a'), score: 0.9 }, { record: rec('b'), score: 0.8 }], now);
    const fused = fuse(vector, [rec('b'), rec('c')], now);
    expect(fused.map((r) => r.record.id)).toEqual(['b', 'a', 'c']);
    expect(fused[0]!.details.fusion).toEqual({ vector_rank: 2, graph_rank: 1, rrf: 1 / 62 + 1 / 61 });
    expect(fused[2]!.details.fusion).toMatchObject({ vector_rank: null, graph_rank: 2 });
  });
});
