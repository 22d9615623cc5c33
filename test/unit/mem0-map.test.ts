/**
 * The Mem0 ↔ Engram mapping, pure: filters split into a scope and an Engram filter (compiled to the
 * Vector language, and evaluated in code for listings), and the answer shapes.
 */
import { describe, expect, it } from 'vitest';
import { AppError } from '../../src/errors';
import { splitFilters } from '../../src/http/mem0-filters';
import { matchesFilter } from '../../src/memory/filter-match';
import { expirationDate, expiresAtOf, mem0Added, mem0Event, mem0History, mem0Memory, paged, referenceTime } from '../../src/http/mem0-map';
import { compileFilter } from '../../src/memory/filters';
import type { ApiMemory } from '../../src/memory/model';

const DAY = 86_400_000;
const jan1 = Date.parse('2024-01-01T00:00:00Z');

function memory(over: Partial<ApiMemory> = {}): ApiMemory {
  return {
    id: 'mem_0000000000000000000000000001', memory: 'Is allergic to peanuts', kind: 'fact', user_id: 'alice', categories: ['health'], entities: ['peanuts'],
    metadata: { source: 'onboarding', priority: 3 }, created_at: '2024-01-15T10:00:00.000Z', updated_at: '2024-01-15T10:00:00.000Z', valid_at: '2024-01-10T00:00:00.000Z',
    source_ids: ['t1'], version: 1, ...over,
  } as ApiMemory;
}

const refused = (f: () => unknown, message: RegExp) => {
  try {
    f();
  } catch (err) {
    expect(err).toBeInstanceOf(AppError);
    expect((err as AppError).code).toBe('INVALID_INPUT');
    expect((err as AppError).message).toMatch(message);
    return;
  }
  throw new Error('expected INVALID_INPUT');
};

describe('splitFilters: entity ids pick the scope', () => {
  it('takes ids from sibling keys, AND lists (nested), eq and one-item in', () => {
    expect(splitFilters({ user_id: 'alice' })).toEqual({ scope: { user_id: 'alice' } });
    expect(splitFilters({ AND: [{ user_id: 'alice' }, { AND: [{ run_id: { eq: 's1' } }] }] })).toEqual({ scope: { user_id: 'alice', run_id: 's1' } });
    expect(splitFilters({ agent_id: { in: ['bot'] } })).toEqual({ scope: { agent_id: 'bot' } });
    expect(splitFilters({ AND: [{ user_id: 'alice' }, { user_id: 'alice' }] }).scope).toEqual({ user_id: 'alice' });
  });

  it('refuses what one scope cannot answer', () => {
    refused(() => splitFilters({}), /user_id, agent_id or run_id/);
    refused(() => splitFilters({ metadata: { a: 1 } }), /user_id, agent_id or run_id/);
    refused(() => splitFilters({ OR: [{ user_id: 'a' }, { user_id: 'b' }] }), /exact id at the top level/);
    refused(() => splitFilters({ user_id: 'a', NOT: { run_id: 's1' } }), /exact id at the top level/);
    refused(() => splitFilters({ user_id: '*' }), /wildcard/);
    refused(() => splitFilters({ user_id: { ne: 'a' } }), /only an exact id/);
    refused(() => splitFilters({ user_id: { in: ['a', 'b'] } }), /only an exact id/);
    refused(() => splitFilters({ AND: [{ user_id: 'a' }, { user_id: 'b' }] }), /twice/);
    refused(() => splitFilters({ user_id: 'a', app_id: 'x' }), /app_id/);
    refused(() => splitFilters({ user_id: 'has space' }), /user_id/);
  });

  it('refuses unknown and unsupported fields by name', () => {
    refused(() => splitFilters({ user_id: 'a', bogus: 1 }), /unknown filter field "bogus"/);
    refused(() => splitFilters({ user_id: 'a', keywords: { icontains: 'x' } }), /keywords is not supported/);
    refused(() => splitFilters({ user_id: 'a', memory_ids: ['m1'] }), /memory_ids is not supported/);
    refused(() => splitFilters({ user_id: 'a', categories: 'health' }), /categories takes/);
    refused(() => splitFilters({ user_id: 'a', created_at: { between: 1 } }), /takes eq, ne/);
    refused(() => splitFilters({ user_id: 'a', created_at: 'not a date' }), /created_at needs a date/);
    refused(() => splitFilters({ user_id: 'a', metadata: { 'bad key': 1 } }), /not a valid field name/);
  });
});

describe('splitFilters: the rest becomes an Engram filter', () => {
  it('translates time fields to half-open ranges (a date is its whole UTC day)', () => {
    expect(splitFilters({ user_id: 'a', created_at: { gte: '2024-01-01' } }).filter).toEqual({ created_at: { gte: jan1 } });
    expect(splitFilters({ user_id: 'a', created_at: { lte: '2024-01-01' } }).filter).toEqual({ created_at: { lt: jan1 + DAY } });
    expect(splitFilters({ user_id: 'a', updated_at: { gt: '2024-01-01' } }).filter).toEqual({ updated_at: { gte: jan1 + DAY } });
    expect(splitFilters({ user_id: 'a', created_at: { lt: '2024-01-01T12:00:00Z' } }).filter).toEqual({ created_at: { lt: jan1 + DAY / 2 } });
    expect(splitFilters({ user_id: 'a', created_at: '2024-01-01' }).filter).toEqual({ AND: [{ created_at: { gte: jan1 } }, { created_at: { lt: jan1 + DAY } }] });
    expect(splitFilters({ user_id: 'a', timestamp: { gte: jan1 / 1000 } }).filter).toEqual({ valid_at: { gte: jan1 } });
    expect(splitFilters({ user_id: 'a', created_at: { ne: '2024-01-01' } }).filter).toEqual({ OR: [{ created_at: { lt: jan1 } }, { created_at: { gte: jan1 + DAY } }] });
  });

  it('moves expiration dates one day: hidden after D is expires_at at the start of D + 1', () => {
    expect(splitFilters({ user_id: 'a', expiration_date: { lte: '2024-01-01' } }).filter).toEqual({ expires_at: { lt: jan1 + 2 * DAY } });
    expect(expiresAtOf('2024-01-01')).toBe(jan1 + DAY);
    expect(expirationDate(new Date(jan1 + DAY).toISOString())).toBe('2024-01-01');
    expect(expirationDate(undefined)).toBeNull();
  });

  it('translates categories, metadata and the logical operators, and compiles for Vector', () => {
    const { filter } = splitFilters({
      AND: [{ user_id: 'a' }, { categories: { in: ['health', 'food'] } }, { NOT: [{ metadata: { source: 'spam' } }, { metadata: { priority: { lt: 2 } } }] }],
    });
    expect(filter).toEqual({
      AND: [
        { OR: [{ categories: { contains: 'health' } }, { categories: { contains: 'food' } }] },
        { NOT: { OR: [{ 'metadata.source': { eq: 'spam' } }, { 'metadata.priority': { lt: 2 } }] } },
      ],
    });
    expect(compileFilter(filter)).toBe("((categories CONTAINS 'health' OR categories CONTAINS 'food') AND (metadata.source != 'spam' AND metadata.priority >= 2))");
  });
});

describe('matchesFilter: the same filter, evaluated on a memory', () => {
  const m = memory();
  const match = (f: Record<string, unknown>, mem = m) => matchesFilter(splitFilters({ user_id: 'alice', ...f }).filter ?? {}, mem);

  it('agrees with the filter on times, categories and metadata', () => {
    expect(match({ created_at: { gte: '2024-01-15' } })).toBe(true);
    expect(match({ created_at: { gt: '2024-01-15' } })).toBe(false);
    expect(match({ created_at: '2024-01-15' })).toBe(true);
    expect(match({ timestamp: { lte: '2024-01-10' } })).toBe(true);
    expect(match({ categories: { in: ['food', 'health'] } })).toBe(true);
    expect(match({ categories: { contains: 'food' } })).toBe(false);
    expect(match({ metadata: { source: 'onboarding', priority: { gte: 3 } } })).toBe(true);
    expect(match({ OR: [{ metadata: { source: 'x' } }, { metadata: { priority: 3 } }] })).toBe(true);
    expect(match({ NOT: { metadata: { source: 'onboarding' } } })).toBe(false);
  });

  it('is false on a field the memory lacks, negated or not, as the Vector filter is', () => {
    expect(match({ metadata: { missing: 'x' } })).toBe(false);
    expect(match({ NOT: { metadata: { missing: 'x' } } })).toBe(false);
    expect(match({ expiration_date: { lte: '2030-01-01' } })).toBe(false);
    expect(match({ expiration_date: { lte: '2030-01-01' } }, memory({ expires_at: '2025-01-01T00:00:00.000Z' }))).toBe(true);
  });
});

describe('answer shapes', () => {
  it('maps events: invalidated, deleted and expired memories are DELETE in Mem0 terms', () => {
    expect(['ADD', 'UPDATE', 'NOOP', 'INVALIDATE', 'DELETE', 'EXPIRE'].map((e) => mem0Event(e as never))).toEqual(['ADD', 'UPDATE', 'NOOP', 'DELETE', 'DELETE', 'DELETE']);
  });

  it('shapes a memory with null ids, memory_type, replaced_by and optional field selection', () => {
    const out = mem0Memory({ ...memory({ run_id: 's1', superseded_by: 'mem_2', expires_at: '2024-03-01T00:00:00.000Z' }), score: 0.5 });
    expect(out).toMatchObject({ user_id: 'alice', agent_id: null, app_id: null, run_id: 's1', session_id: 's1', memory_type: 'fact', replaced_by: 'mem_2', expiration_date: '2024-02-29', score: 0.5 });
    expect(mem0Memory(memory(), ['memory'])).toEqual({ id: 'mem_0000000000000000000000000001', memory: 'Is allergic to peanuts' });
  });

  it('answers an add in the three ways Mem0 does', () => {
    expect(mem0Added({ status: 202, body: { event_id: 'evt_1', status: 'queued' } })).toMatchObject({ status: 'PENDING', event_id: 'evt_1' });
    const event = { event_id: 'evt_2', status: 'succeeded' as const, created_at: '1970-01-01T00:00:00.000Z', updated_at: '1970-01-01T00:00:00.000Z', usage: { llm_calls: 1, prompt_tokens: 1, completion_tokens: 1 }, results: [{ id: 'mem_1', event: 'INVALIDATE' as const, memory: 'Works at Google' }] };
    expect(mem0Added({ status: 200, body: event })).toEqual({ status: 'SUCCEEDED', event_id: 'evt_2', results: [{ id: 'mem_1', event: 'DELETE', memory: 'Works at Google', data: { memory: 'Works at Google' } }] });
    const stored = mem0Added({ status: 201, body: { results: [{ ...memory({ kind: 'episode', memory: 'Note' }), event: 'ADD' as const }] } });
    expect(stored).toMatchObject({ status: 'SUCCEEDED', results: [{ event: 'ADD', memory: 'Note', data: { memory: 'Note' } }] });
  });

  it('shapes history rows with the scope and no invented input', () => {
    const row = { memory_id: 'mem_1', event: 'UPDATE' as const, at: jan1, version: 2, memory: 'new', previous: 'old', cause: 'api' };
    expect(mem0History(row, { user_id: 'alice' })).toMatchObject({ id: 'mem_1.v2', memory_id: 'mem_1', input: [], old_memory: 'old', new_memory: 'new', event: 'UPDATE', user_id: 'alice', created_at: '2024-01-01T00:00:00.000Z' });
  });

  it('pages 1-based with absolute links', () => {
    const items = [1, 2, 3, 4, 5];
    expect(paged(items, 1, 2, 'http://h/mem0/v3/memories/')).toEqual({ count: 5, next: 'http://h/mem0/v3/memories/?page=2&page_size=2', previous: null, results: [1, 2] });
    expect(paged(items, 3, 2, 'http://h/x/?page=2&page_size=2')).toEqual({ count: 5, next: null, previous: 'http://h/x/?page=2&page_size=2', results: [5] });
    expect(paged(items, 9, 2, 'http://h/x/').results).toEqual([]);
  });

  it('reads reference dates as epoch seconds, ISO times or whole days', () => {
    expect(referenceTime(jan1 / 1000)).toBe(jan1);
    expect(referenceTime('2024-01-01')).toBe(jan1 + DAY - 1);
    expect(referenceTime('2024-01-01T06:00:00Z')).toBe(jan1 + DAY / 4);
    refused(() => referenceTime('soon'), /reference_date/);
  });
});
