/**
 * From candidate facts to the operations of an `ExtractionOutput`, against the `existing` memories:
 *   - the same normalised text, or the same predicate and object          → NOOP (ref)
 *   - a single-valued predicate (works_at, lives_in, diet, role, name …)
 *     already held with another object                                    → INVALIDATE (ref) + the new text
 *   - likes ↔ dislikes of the same object                                  → INVALIDATE (ref) + the new text
 *   - "I left Google" (a negating fact) matching a memory                  → INVALIDATE (ref), no text
 *   - everything else                                                      → ADD
 * Facts are taken in turn order, and earlier decisions count for later ones: a repeat inside the batch
 * merges its turn into the first operation, and a single-valued fact stated twice with different
 * objects closes the earlier one (its `invalid_at` = the later one's `valid_at`).
 */
import type { ExtractionInput, ExtractionOperation } from '../../../src/memory/extraction-schema.js';
import type { Fact } from './facts.js';

type Existing = ExtractionInput['existing'][number];

const OPPOSITES: Record<string, string> = { likes: 'dislikes', dislikes: 'likes' };

/** Lowercase, no punctuation, no articles: "Works at the BBC." and "works at BBC" are the same. */
export function normaliseText(text: string | null | undefined): string {
  return (text ?? '')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\s]/gu, ' ')
    .replace(/\b(?:a|an|the)\b/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

const aboutUser = (m: Existing): boolean => m.subject === null || normaliseText(m.subject) === 'user';
const samePredicate = (m: Existing, predicate: string): boolean => normaliseText(m.predicate) === normaliseText(predicate);
const sameObject = (a: string | null, b: string | null): boolean => normaliseText(a) === normaliseText(b);
const sameText = (m: Existing, fact: Fact): boolean => normaliseText(m.text) === normaliseText(fact.text);
const sameTriple = (m: Existing, fact: Fact): boolean =>
  aboutUser(m) && samePredicate(m, fact.predicate) && sameObject(m.object, fact.object);

export function decide(facts: Fact[], existing: Existing[]): ExtractionOperation[] {
  const live = new Map(existing.map((m) => [m.ref, m]));
  const ops: ExtractionOperation[] = [];
  const fromBatch: Array<{ fact: Fact; op: ExtractionOperation }> = [];

  for (const fact of facts) {
    if (fact.negates) {
      ops.push(...endMatching(fact, live, fromBatch));
      continue;
    }
    const known = [...live.values()].find((m) => sameText(m, fact) || sameTriple(m, fact));
    if (known) {
      ops.push(operation('NOOP', known.ref, fact));
      continue;
    }
    const repeat = fromBatch.find((b) => b.fact.predicate === fact.predicate && sameObject(b.fact.object, fact.object));
    if (repeat) {
      if (!repeat.op.turns.includes(fact.turn)) repeat.op.turns.push(fact.turn);
      continue;
    }
    closeEarlierInBatch(fact, fromBatch);
    const replaced = [...live.values()].filter((m) => aboutUser(m) && contradicts(m, fact));
    replaced.forEach((m, i) => {
      live.delete(m.ref);
      const op = operation('INVALIDATE', m.ref, fact, i === 0);
      ops.push(op);
      if (i === 0) fromBatch.push({ fact, op });
    });
    if (replaced.length === 0) {
      const op = operation('ADD', null, fact);
      ops.push(op);
      fromBatch.push({ fact, op });
    }
  }
  return ops;
}

function contradicts(m: Existing, fact: Fact): boolean {
  if (fact.single && samePredicate(m, fact.predicate)) return !sameObject(m.object, fact.object);
  const opposite = OPPOSITES[fact.predicate];
  return opposite !== undefined && samePredicate(m, opposite) && sameObject(m.object, fact.object);
}

/** A later value of a single-valued predicate in the same batch ends the earlier one. */
function closeEarlierInBatch(fact: Fact, fromBatch: Array<{ fact: Fact; op: ExtractionOperation }>): void {
  for (const b of fromBatch) {
    const replacedValue = fact.single && b.fact.predicate === fact.predicate;
    const reversedTaste = OPPOSITES[fact.predicate] === b.fact.predicate && sameObject(b.fact.object, fact.object);
    if (b.op.invalid_at === null && (replacedValue || reversedTaste)) b.op.invalid_at = notBefore(fact.validAt, b.fact.validAt);
  }
}

/** An end never precedes the start: "I live in Paris" said today, then "I moved to Berlin last month". */
function notBefore(end: string, start: string): string {
  return Date.parse(end) < Date.parse(start) ? start : end;
}

function endMatching(
  fact: Fact,
  live: Map<number, Existing>,
  fromBatch: Array<{ fact: Fact; op: ExtractionOperation }>,
): ExtractionOperation[] {
  for (const b of fromBatch) {
    if (b.fact.predicate === fact.predicate && sameObject(b.fact.object, fact.object)) {
      b.op.invalid_at ??= notBefore(fact.validAt, b.fact.validAt);
    }
  }
  const ended = [...live.values()].filter((m) => sameTriple(m, fact));
  return ended.map((m) => {
    live.delete(m.ref);
    return { ...operation('INVALIDATE', m.ref, fact, false), valid_at: null, invalid_at: fact.validAt };
  });
}

function operation(event: ExtractionOperation['event'], ref: number | null, fact: Fact, withText = true): ExtractionOperation {
  return {
    event,
    ref,
    text: withText ? fact.text : null,
    kind: fact.kind,
    categories: [...fact.categories],
    entities: [...fact.entities],
    subject: 'user',
    predicate: fact.predicate,
    object: fact.object,
    valid_at: fact.validAt,
    invalid_at: null,
    turns: [fact.turn],
  };
}
