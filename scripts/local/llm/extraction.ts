/**
 * Rule mode's answer to Engram's extraction call (src/memory/extraction-schema.ts): the last user
 * message is the JSON text of an `ExtractionInput`; the answer is an `ExtractionOutput`. Input that is
 * not such JSON gets `{"operations": [], "entities": []}`, the answer a careful model would give to data it cannot read.
 */
import type { ExtractionInput, ExtractionOutput } from '../../../src/memory/extraction-schema.js';
import { factsFromTurn, type TurnLike } from './facts.js';
import { decide } from './operations.js';

export function answerExtraction(userContent: string, fallbackNow: Date): ExtractionOutput {
  const input = parseInput(userContent);
  if (!input) return { operations: [], entities: [] };
  const parsedNow = Date.parse(input.now);
  const now = Number.isNaN(parsedNow) ? fallbackNow : new Date(parsedNow);
  const facts = input.turns.flatMap((turn) => factsFromTurn(turn, now));
  // Rule mode names no types or aliases: Engram resolves the operations' own subjects, objects and entities.
  return { operations: decide(facts, input.existing), entities: [] };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function isTurn(value: unknown): value is TurnLike {
  return isRecord(value) && typeof value.index === 'number' && typeof value.role === 'string' && typeof value.content === 'string';
}

/** Lenient where a field is only a hint (a turn without created_at uses `now`), strict where it is not. */
function parseInput(content: string): ExtractionInput | undefined {
  let raw: unknown;
  try {
    raw = JSON.parse(content);
  } catch {
    return undefined;
  }
  if (!isRecord(raw) || !Array.isArray(raw.turns)) return undefined;
  const turns = raw.turns.filter(isTurn).map((t) => ({
    index: t.index,
    role: t.role,
    name: null,
    content: t.content,
    created_at: typeof t.created_at === 'string' ? t.created_at : '',
  }));
  const existing = (Array.isArray(raw.existing) ? raw.existing : [])
    .filter((m): m is ExtractionInput['existing'][number] => isRecord(m) && typeof m.ref === 'number')
    .map((m) => ({
      ref: m.ref,
      text: typeof m.text === 'string' ? m.text : '',
      kind: m.kind,
      subject: typeof m.subject === 'string' ? m.subject : null,
      predicate: typeof m.predicate === 'string' ? m.predicate : null,
      object: typeof m.object === 'string' ? m.object : null,
      valid_at: typeof m.valid_at === 'string' ? m.valid_at : null,
    }));
  return { now: typeof raw.now === 'string' ? raw.now : '', existing, turns };
}
