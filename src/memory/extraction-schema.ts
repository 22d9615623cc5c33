/**
 * The contract of the one LLM call an extraction job makes.
 *
 * Request: a system prompt (the rules) and ONE user message whose content is exactly the JSON text of
 * an `ExtractionInput` — the conversation travels as data, never as instructions. The call uses
 * `response_format: {type: "json_schema", json_schema: {name: EXTRACTION_SCHEMA_NAME, strict: true,
 * schema: EXTRACTION_JSON_SCHEMA}}`. The answer is an `ExtractionOutput`.
 *
 * Existing memories are shown under short integer `ref`s (1, 2, 3 …), never their real ids; a `ref`
 * the model invents is ignored when the output is applied.
 */

export const EXTRACTION_SCHEMA_NAME = 'engram_extraction';

export interface ExtractionInput {
  /** ISO-8601 UTC time of the newest turn: the "now" of the conversation, for relative dates. */
  now: string;
  /** Memories already stored in the scope that look related to the turns. */
  existing: Array<{
    ref: number;
    text: string;
    kind: 'fact' | 'preference';
    subject: string | null;
    predicate: string | null;
    object: string | null;
    valid_at: string | null;
  }>;
  /** The new turns, oldest first; `index` is what `turns` in an operation refers to. */
  turns: Array<{ index: number; role: string; name: string | null; content: string; created_at: string }>;
}

export type OperationEvent = 'ADD' | 'UPDATE' | 'INVALIDATE' | 'NOOP';

export interface ExtractionOperation {
  /**
   * ADD: a new memory (`ref` null).
   * UPDATE: the memory `ref` is still true but refined; `text` is its new wording (a new version).
   * INVALIDATE: the memory `ref` is no longer true; `text`, when given, is the new fact that replaces it.
   * NOOP: the memory `ref` is already known as stated; nothing changes.
   */
  event: OperationEvent;
  ref: number | null;
  text: string | null;
  kind: 'fact' | 'preference' | null;
  categories: string[];
  entities: string[];
  /** A normalised triple when the sentence supports one, e.g. ("user", "works_at", "Anthropic"). */
  subject: string | null;
  predicate: string | null;
  object: string | null;
  /** When the memory became true in the world (ISO-8601), resolved from the turn times. */
  valid_at: string | null;
  /** When it stopped being true, if the conversation says so (ISO-8601). */
  invalid_at: string | null;
  /** Indexes of the turns this operation is based on. */
  turns: number[];
}

/** A named thing the turns talk about: its type, and other names the turns give it ("Bob" for "Robert Smith"). */
export interface ExtractionEntity {
  name: string;
  type: 'person' | 'organisation' | 'place' | 'product' | 'other';
  aliases: string[];
}

export interface ExtractionOutput {
  operations: ExtractionOperation[];
  /** The entities named in the operations' subjects, objects and entities, once each. */
  entities: ExtractionEntity[];
}

const nullableString = { type: ['string', 'null'] } as const;

/** Strict-mode JSON schema (every property required, nullable where optional, no extra keys). */
export const EXTRACTION_JSON_SCHEMA = {
  type: 'object',
  additionalProperties: false,
  required: ['operations', 'entities'],
  properties: {
    entities: {
      type: 'array',
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['name', 'type', 'aliases'],
        properties: {
          name: { type: 'string' },
          type: { type: 'string', enum: ['person', 'organisation', 'place', 'product', 'other'] },
          aliases: { type: 'array', items: { type: 'string' } },
        },
      },
    },
    operations: {
      type: 'array',
      items: {
        type: 'object',
        additionalProperties: false,
        required: [
          'event', 'ref', 'text', 'kind', 'categories', 'entities',
          'subject', 'predicate', 'object', 'valid_at', 'invalid_at', 'turns',
        ],
        properties: {
          event: { type: 'string', enum: ['ADD', 'UPDATE', 'INVALIDATE', 'NOOP'] },
          ref: { type: ['integer', 'null'] },
          text: nullableString,
          kind: { type: ['string', 'null'], enum: ['fact', 'preference', null] },
          categories: { type: 'array', items: { type: 'string' } },
          entities: { type: 'array', items: { type: 'string' } },
          subject: nullableString,
          predicate: nullableString,
          object: nullableString,
          valid_at: nullableString,
          invalid_at: nullableString,
          turns: { type: 'array', items: { type: 'integer' } },
        },
      },
    },
  },
} as const;
