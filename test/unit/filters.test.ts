import { describe, expect, it } from 'vitest';
import { compileFilter } from '../../src/memory/filters';
import { readFilter } from '../../src/memory/read-filter';

describe('compileFilter', () => {
  it('compiles operators, lists and nesting to the Vector syntax', () => {
    expect(compileFilter({ 'metadata.topic': 'food' })).toBe("metadata.topic = 'food'");
    expect(compileFilter({ AND: [{ kind: { eq: 'fact' } }, { created_at: { gte: 10 } }] })).toBe("(kind = 'fact' AND created_at >= 10)");
    expect(compileFilter({ OR: [{ categories: { contains: 'health' } }, { topic: { in: ['a', 'b'] } }] })).toBe(
      "(categories CONTAINS 'health' OR metadata.topic IN ('a', 'b'))",
    );
  });

  it('pushes NOT down with De Morgan (the Vector language has no unary NOT)', () => {
    expect(compileFilter({ NOT: { AND: [{ kind: 'fact' }, { created_at: { lt: 5 } }] } })).toBe("(kind != 'fact' OR created_at >= 5)");
    expect(compileFilter({ NOT: { NOT: { topic: { nin: ['x'] } } } })).toBe("metadata.topic NOT IN ('x')");
    expect(compileFilter({ NOT: { categories: { contains: 'x' } } })).toBe("categories NOT CONTAINS 'x'");
  });

  it('quotes values so they cannot change the filter shape', () => {
    expect(compileFilter({ topic: "it's" })).toBe('metadata.topic = "it\'s"');
    expect(() => compileFilter({ topic: `' OR "x" = '` })).toThrow(/both/);
    // A trailing backslash could escape the closing quote and turn the next value into filter syntax.
    expect(() => compileFilter({ AND: [{ a: 'x\\' }, { b: ') OR (run_id = "other" OR c = ' }] })).toThrow(/backslash/);
    expect(() => compileFilter({ a: { in: ['ok', 'C:\\dir'] } })).toThrow(/backslash/);
    expect(() => compileFilter({ "topic = 'a' OR x": 'y' })).toThrow(/not a valid field/);
  });

  it('rejects unknown operators, empty lists, deep nesting and non-scalar values', () => {
    expect(() => compileFilter({ kind: { regex: '.*' } })).toThrow(/unknown filter operator/);
    expect(() => compileFilter({ topic: { in: [] } })).toThrow(/1 to 100/);
    let deep: Record<string, unknown> = { kind: 'fact' };
    for (let i = 0; i < 10; i++) deep = { NOT: deep };
    expect(() => compileFilter(deep)).toThrow(/depth/);
    expect(() => compileFilter({ topic: { eq: { nested: 1 } } })).toThrow(/string, number or boolean/);
  });
});

describe('readFilter', () => {
  it('shows current memories by default and what was true at as_of', () => {
    expect(readFilter({ scope: { user_id: 'u' }, visibility: { now: 100 } })).toBe('HAS NOT FIELD invalid_at AND (HAS NOT FIELD expires_at OR expires_at > 100)');
    expect(readFilter({ scope: { user_id: 'u', agent_id: 'a' }, visibility: { now: 100, as_of: 50 }, kinds: ['fact'] })).toBe(
      "agent_id = 'a' AND valid_at <= 50 AND (HAS NOT FIELD invalid_at OR invalid_at > 50) AND (HAS NOT FIELD expires_at OR expires_at > 100) AND kind IN ('fact')",
    );
  });
});
