/**
 * Filter semantics (UPSTASH_PROTOCOLS.md §2.7 and the decisions in filter-eval.ts): every operator,
 * path resolution, type mismatches and missing fields.
 */
import { describe, expect, it } from 'vitest';
import { filterPredicate } from '../../scripts/local/vector/filter.js';
import { globToRegExp } from '../../scripts/local/vector/glob.js';
import type { Metadata } from '../../scripts/local/vector/types.js';

const city: Metadata = {
  name: 'Istanbul',
  population: 15_460_000,
  is_capital: false,
  geography: { continent: 'Asia', coordinates: { latitude: 41.0082 } },
  economy: { currency: 'TRY', major_industries: ['Tourism', 'Textiles', 'Finance'] },
  tags: ['big', 'old'],
  nothing: null,
};

const matches = (filter: string, m: Metadata | undefined = city): boolean => filterPredicate(filter)!(m);

describe('filter evaluation', () => {
  it('compares strings, numbers and booleans with = and !=', () => {
    expect(matches("name = 'Istanbul'")).toBe(true);
    expect(matches('name = "istanbul"')).toBe(false);
    expect(matches("name != 'Ankara'")).toBe(true);
    expect(matches('population = 15460000')).toBe(true);
    expect(matches('is_capital = false')).toBe(true);
    expect(matches('is_capital != true')).toBe(true);
  });

  it('orders numbers only, integers and floats alike', () => {
    expect(matches('population >= 1000000')).toBe(true);
    expect(matches('population > 15460000')).toBe(false);
    expect(matches('population <= 15460000')).toBe(true);
    expect(matches('geography.coordinates.latitude < 41.5')).toBe(true);
    expect(matches('name > 1')).toBe(false);
  });

  it('matches GLOB patterns over the whole value, case-sensitively', () => {
    expect(matches("name GLOB 'Ist*'")).toBe(true);
    expect(matches("name GLOB 'ist*'")).toBe(false);
    expect(matches("name GLOB '?[sz]*[^m-z]'")).toBe(true);
    expect(matches("name GLOB 'Istanbu?'")).toBe(true);
    expect(matches("name GLOB 'Istanbu??'")).toBe(false);
    expect(matches("name NOT GLOB 'A*'")).toBe(true);
    expect(matches("name NOT GLOB 'I*'")).toBe(false);
  });

  it('supports IN and NOT IN, with mixed-type lists', () => {
    expect(matches("economy.currency IN ('USD', 'TRY')")).toBe(true);
    expect(matches("economy.currency NOT IN ('USD', 'EUR')")).toBe(true);
    expect(matches("economy.currency NOT IN ('TRY')")).toBe(false);
    expect(matches("population IN ('x', 15460000)")).toBe(true);
  });

  it('tests array membership with CONTAINS and NOT CONTAINS', () => {
    expect(matches("economy.major_industries CONTAINS 'Tourism'")).toBe(true);
    expect(matches("economy.major_industries NOT CONTAINS 'Mining'")).toBe(true);
    expect(matches("economy.major_industries NOT CONTAINS 'Finance'")).toBe(false);
    expect(matches("tags = 'big'")).toBe(false);
  });

  it('indexes arrays from the start and from the end', () => {
    expect(matches("economy.major_industries[0] = 'Tourism'")).toBe(true);
    expect(matches("economy.major_industries[#-1] = 'Finance'")).toBe(true);
    expect(matches("economy.major_industries[#-3] = 'Tourism'")).toBe(true);
    expect(matches('HAS FIELD economy.major_industries[3]')).toBe(false);
    expect(matches('HAS FIELD economy.major_industries[#-4]')).toBe(false);
  });

  it('tests field presence with HAS FIELD and HAS NOT FIELD (a stored null exists)', () => {
    expect(matches('HAS FIELD geography.coordinates.latitude')).toBe(true);
    expect(matches('HAS NOT FIELD geography.coordinates.longitude')).toBe(true);
    expect(matches('HAS FIELD nothing')).toBe(true);
    expect(matches('HAS FIELD a', undefined)).toBe(false);
    expect(matches('HAS NOT FIELD a', undefined)).toBe(true);
  });

  it('makes every predicate on a missing field false, negated ones included', () => {
    for (const f of ["missing = 'x'", "missing != 'x'", 'missing < 1', "missing GLOB '*'", "missing NOT GLOB 'x'", "missing IN ('x')", "missing NOT IN ('x')", "missing CONTAINS 'x'", "missing NOT CONTAINS 'x'"]) {
      expect(matches(f), f).toBe(false);
    }
    expect(matches("name = 'x'", undefined)).toBe(false);
  });

  it('never matches across types, except booleans with 1 and 0', () => {
    expect(matches("population = '15460000'")).toBe(false);
    expect(matches("population != '15460000'")).toBe(true);
    expect(matches('is_capital = 0')).toBe(true);
    expect(matches('is_capital = 1')).toBe(false);
    expect(matches("geography = 'Asia'")).toBe(false);
    expect(matches("name CONTAINS 'I'")).toBe(false);
  });

  it('combines with AND, OR and parentheses', () => {
    expect(matches("name = 'Istanbul' AND (population > 20000000 OR is_capital = false)")).toBe(true);
    expect(matches("name = 'x' AND population > 1 OR is_capital = false")).toBe(true);
    expect(matches("name = 'x' AND (population > 1 OR is_capital = false)")).toBe(false);
    expect(matches("population >= 1000000 AND geography.continent = 'Asia'")).toBe(true);
  });

  it('treats an empty filter as none and a bad one as a 400', () => {
    expect(filterPredicate('')).toBeUndefined();
    expect(filterPredicate('   ')).toBeUndefined();
    expect(() => filterPredicate('a = ')).toThrow(expect.objectContaining({ status: 400, message: expect.stringContaining('position 4') }));
  });

  it('compiles glob classes, ranges, negation and literal specials', () => {
    expect(globToRegExp('a.b').test('a.b')).toBe(true);
    expect(globToRegExp('a.b').test('axb')).toBe(false);
    expect(globToRegExp('[!a]x').test('bx')).toBe(true);
    expect(globToRegExp('[]]').test(']')).toBe(true);
    expect(globToRegExp('[abc').test('[abc')).toBe(true);
    expect(globToRegExp('*').test('multi\nline')).toBe(true);
    expect(globToRegExp('?').test('é')).toBe(true);
  });
});
