// Local LLM, the JSON-schema validator that guards every rule-mode answer, and the minimal value it
// answers unknown schemas with.
import { describe, expect, it } from 'vitest';
import { minimalValue, validate, type JsonSchema } from '../../scripts/local/llm/json-schema.js';
import { EXTRACTION_JSON_SCHEMA } from '../../src/memory/extraction-schema.js';

const op = {
  event: 'ADD', ref: null, text: 'Works at Anthropic', kind: 'fact', categories: ['work'], entities: ['Anthropic'],
  subject: 'user', predicate: 'works_at', object: 'Anthropic', valid_at: null, invalid_at: null, turns: [0],
};

describe('validate', () => {
  it('accepts a valid extraction output', () => {
    expect(validate(EXTRACTION_JSON_SCHEMA, { operations: [op], entities: [{ name: 'Acme', type: 'organisation', aliases: [] }] })).toEqual([]);
  });

  it('names each violation by path', () => {
    const bad = { entities: [], operations: [{ ...op, event: 'DELETE', ref: 1.5, kind: 'opinion', turns: ['0'], extra: true }] };
    const errors = validate(EXTRACTION_JSON_SCHEMA, bad);
    expect(errors.sort()).toEqual([
      '$.operations[0].event: not one of ["ADD","UPDATE","INVALIDATE","NOOP"]',
      '$.operations[0].kind: not one of ["fact","preference",null]',
      '$.operations[0].ref: expected integer | null, got number',
      '$.operations[0].turns[0]: expected integer, got string',
      '$.operations[0]: unexpected property "extra"',
    ]);
    expect(validate(EXTRACTION_JSON_SCHEMA, {})).toEqual(['$: missing required property "operations"', '$: missing required property "entities"']);
  });

  it('follows $ref into $defs and tries anyOf branches', () => {
    const schema: JsonSchema = {
      $defs: { item: { anyOf: [{ type: 'string' }, { type: 'object', properties: { n: { type: 'integer' } }, required: ['n'] }] } },
      type: 'array', items: { $ref: '#/$defs/item' },
    };
    expect(validate(schema, ['a', { n: 1 }])).toEqual([]);
    expect(validate(schema, [true])).toEqual(['$[0]: matches no anyOf branch']);
  });
});

describe('minimalValue', () => {
  it('builds the smallest valid value', () => {
    expect(minimalValue(EXTRACTION_JSON_SCHEMA)).toEqual({ operations: [], entities: [] });
    const schema: JsonSchema = {
      type: 'object',
      required: ['a', 'b'],
      properties: { a: { type: 'array', minItems: 2, items: { type: 'integer' } }, b: { const: 'x' } },
    };
    expect(minimalValue(schema)).toEqual({ a: [0, 0], b: 'x' });
    expect(validate(schema, minimalValue(schema))).toEqual([]);
  });
});
