/**
 * The filter language parser (UPSTASH_PROTOCOLS.md §2.7): grammar, precedence, literals, paths, and
 * syntax errors that name their position.
 */
import { describe, expect, it } from 'vitest';
import { FilterSyntaxError, lex } from '../../scripts/local/vector/filter-lexer.js';
import { parseFilter } from '../../scripts/local/vector/filter-parser.js';

describe('filter parser', () => {
  it('parses every comparison operator', () => {
    for (const op of ['=', '!=', '<', '<=', '>', '>=']) {
      expect(parseFilter(`a ${op} 1`)).toEqual({ kind: 'compare', path: [{ key: 'a' }], op, value: 1 });
    }
  });

  it('binds AND tighter than OR', () => {
    expect(parseFilter('a = 1 AND b = 2 OR c = 3')).toEqual({
      kind: 'or',
      items: [
        { kind: 'and', items: [expect.objectContaining({ path: [{ key: 'a' }] }), expect.objectContaining({ path: [{ key: 'b' }] })] },
        expect.objectContaining({ path: [{ key: 'c' }] }),
      ],
    });
    expect(parseFilter('a = 1 OR b = 2 AND c = 3')).toMatchObject({ kind: 'or', items: [{ kind: 'compare' }, { kind: 'and' }] });
  });

  it('lets parentheses override precedence, nested at any depth', () => {
    expect(parseFilter('a = 1 AND (b = 2 OR c = 3)')).toMatchObject({ kind: 'and', items: [{ kind: 'compare' }, { kind: 'or' }] });
    expect(parseFilter('((a = 1))')).toMatchObject({ kind: 'compare', value: 1 });
  });

  it('reads keywords in any case', () => {
    expect(parseFilter('a = TRUE and b = false Or c not in (1) AND d Not Glob "x*" and has not field e')).toMatchObject({ kind: 'or' });
  });

  it('parses the NOT forms, IN lists, CONTAINS and HAS FIELD', () => {
    expect(parseFilter("a NOT GLOB 'x*'")).toEqual({ kind: 'glob', path: [{ key: 'a' }], negated: true, pattern: 'x*' });
    expect(parseFilter("a IN ('x', 2, true)")).toEqual({ kind: 'in', path: [{ key: 'a' }], negated: false, values: ['x', 2, true] });
    expect(parseFilter('a NOT IN (1)')).toMatchObject({ kind: 'in', negated: true });
    expect(parseFilter("tags CONTAINS 'x'")).toMatchObject({ kind: 'contains', negated: false, value: 'x' });
    expect(parseFilter('tags NOT CONTAINS 1')).toMatchObject({ kind: 'contains', negated: true, value: 1 });
    expect(parseFilter('HAS FIELD a.b')).toEqual({ kind: 'has', path: [{ key: 'a' }, { key: 'b' }], negated: false });
    expect(parseFilter('HAS NOT FIELD a')).toMatchObject({ kind: 'has', negated: true });
  });

  it('parses dotted paths and array indexes, from the start and from the end', () => {
    expect(parseFilter("geo.coords[0].lat = 1")).toMatchObject({ path: [{ key: 'geo' }, { key: 'coords' }, { index: 0 }, { key: 'lat' }] });
    expect(parseFilter("tags[#-1] = 'x'")).toMatchObject({ path: [{ key: 'tags' }, { fromEnd: 1 }] });
  });

  it('treats keywords as field names where a field is expected', () => {
    expect(parseFilter('in = 1 AND field = 2 AND has = 3')).toMatchObject({ kind: 'and' });
  });

  it('reads both quote styles, escapes and number forms', () => {
    expect(parseFilter(`a = "x 'y'"`)).toMatchObject({ value: "x 'y'" });
    expect(parseFilter(`a = 'it\\'s'`)).toMatchObject({ value: "it's" });
    expect(parseFilter(`a = 'C:\\dir'`)).toMatchObject({ value: 'C:\\dir' });
    expect(parseFilter('a = -1.5')).toMatchObject({ value: -1.5 });
    expect(parseFilter('a >= 1e3')).toMatchObject({ value: 1000 });
    expect(parseFilter('a=1')).toMatchObject({ value: 1 });
  });

  it.each([
    ['a = ', 4, 'expected a string, number or boolean'],
    ['a 1', 2, 'expected an operator'],
    ['a = 1 AND', 9, 'expected a field name'],
    ['(a = 1', 6, "expected ')'"],
    ['a = 1 b = 2', 6, "unexpected 'b'"],
    ["a = 'open", 4, 'unterminated string'],
    ["a < 'x'", 4, 'operator < needs a number'],
    ['a GLOB 1', 7, 'quoted pattern'],
    ['a IN 1', 5, "'(' after IN"],
    ['a = 1 @', 6, "unexpected character '@'"],
    ['a..b = 1', 2, 'expected a field name'],
    ['a[x] = 1', 1, "'[n]' or '[#-n]'"],
    ["a GLOB '[z-a]'", 7, 'invalid GLOB pattern'],
  ])('rejects %j at position %i', (src, pos, message) => {
    let caught: unknown;
    try {
      parseFilter(src);
    } catch (err) {
      caught = err;
    }
    expect(caught).toBeInstanceOf(FilterSyntaxError);
    expect((caught as FilterSyntaxError).pos).toBe(pos);
    expect((caught as Error).message).toContain(message);
    expect((caught as Error).message).toContain(`at position ${pos}`);
  });

  it('lexes a filter into positioned tokens', () => {
    expect(lex("a>=-2 OR b='x'").map((t) => [t.type, t.pos])).toEqual([
      ['word', 0], ['op', 1], ['number', 3], ['word', 6], ['word', 9], ['op', 10], ['string', 11], ['end', 14],
    ]);
  });
});
