/** Budget fitting and prompt rendering, with a fixed estimator (one token per word) so the sums are exact. */
import { describe, expect, it } from 'vitest';
import { dropRepeats, fitContext, renderPrompt } from '../../src/memory/context-fit';
import type { MemoryRecord, Turn } from '../../src/memory/model';

const words = (t: string) => t.split(/\s+/).filter(Boolean).length;
const DAY = 86_400_000;
const T0 = Date.UTC(2025, 2, 1);

function mem(id: string, text: string, kind: MemoryRecord['kind'] = 'fact', extra: Partial<MemoryRecord> = {}): { record: MemoryRecord; score: number } {
  return {
    record: { id, text, kind, user_id: 'u', categories: [], entities: [], metadata: {}, created_at: T0, updated_at: T0, valid_at: T0, source_ids: [], version: 1, ...extra },
    score: 0.5,
  };
}
const turn = (id: string, content: string, role: Turn['role'] = 'user', name?: string): Turn => ({ id, role, content, created_at: T0, ...(name && { name }) });

describe('fitContext', () => {
  it('takes blocks first, then memories in rank order, then the newest turns', () => {
    const fitted = fitContext({
      blocks: [{ label: 'persona', value: 'a helpful cook' }],
      memories: [mem('m1', 'likes tea'), mem('m2', 'lives in Lisbon')],
      turns: [turn('t1', 'oldest turn here'), turn('t2', 'middle turn'), turn('t3', 'newest')],
      budget: 1000,
      estimate: words,
    });
    expect(fitted.blocks.map((b) => b.label)).toEqual(['persona']);
    expect(fitted.memories.map((m) => m.record.id)).toEqual(['m1', 'm2']);
    expect(fitted.turns.map((t) => t.id)).toEqual(['t1', 't2', 't3']);
    expect(fitted.dropped).toEqual({ blocks: 0, memories: 0, messages: 0 });
    expect(fitted.tokens.total).toBe(fitted.tokens.blocks + fitted.tokens.memories + fitted.tokens.messages);
    expect(fitted.tokens.total).toBeLessThanOrEqual(1000);
  });

  it('never exceeds the budget and drops the oldest turns and the least relevant memories first', () => {
    const memories = Array.from({ length: 10 }, (_, i) => mem(`m${i}`, `fact number ${i} about something`));
    const turns = Array.from({ length: 10 }, (_, i) => turn(`t${i}`, `turn ${i} with a few words`));
    for (const budget of [5, 20, 40, 60, 90]) {
      const f = fitContext({ blocks: [], memories, turns, budget, estimate: words });
      expect(f.tokens.total).toBeLessThanOrEqual(budget);
      // chosen memories are a prefix of the ranking; chosen turns a suffix of the buffer
      expect(f.memories.map((m) => m.record.id)).toEqual(memories.slice(0, f.memories.length).map((m) => m.record.id));
      expect(f.turns.map((t) => t.id)).toEqual(turns.slice(turns.length - f.turns.length).map((t) => t.id));
      expect(f.dropped.memories + f.memories.length).toBe(10);
    }
  });

  it('skips an item that does not fit and still takes smaller later ones', () => {
    const long = 'word '.repeat(50).trim();
    const f = fitContext({ blocks: [{ label: 'big', value: long }, { label: 'small', value: 'tiny' }], memories: [mem('m1', 'short fact')], turns: [], budget: 20, estimate: words });
    expect(f.blocks.map((b) => b.label)).toEqual(['small']);
    expect(f.dropped.blocks).toBe(1);
    expect(f.memories).toHaveLength(1);
  });

  it('gives blocks priority over memories when the budget is tight', () => {
    const f = fitContext({ blocks: [{ label: 'persona', value: 'a b c d e' }], memories: [mem('m1', 'a b c d e')], turns: [turn('t', 'x')], budget: 12, estimate: words });
    expect(f.blocks).toHaveLength(1);
    expect(f.memories).toHaveLength(0);
  });
});

describe('dropRepeats', () => {
  it('drops episodes of buffered turns and memories that repeat a turn verbatim, keeps distilled facts', () => {
    const turns = [turn('msg_1', "I'm allergic to peanuts."), turn('msg_2', 'What should I eat?')];
    const kept = dropRepeats(
      [
        mem('e1', "I'm allergic to peanuts.", 'episode', { source_ids: ['msg_1'] }),
        mem('e2', 'An older conversation', 'episode', { source_ids: ['msg_0'] }),
        mem('f1', 'User is allergic to peanuts', 'fact', { source_ids: ['msg_1'] }),
        mem('f2', 'what should i eat', 'fact'),
      ],
      turns,
    );
    expect(kept.map((m) => m.record.id)).toEqual(['e2', 'f1']);
  });
});

describe('renderPrompt', () => {
  it('lists blocks, then facts with valid-from days, then episodes with speakers — deterministically', () => {
    const facts = [mem('f1', 'Works at Anthropic', 'fact', { valid_at: T0 + 3 * DAY }).record, mem('p1', 'Prefers tea', 'preference').record];
    const episodes = [mem('e1', 'We hiked near the lake', 'episode', { metadata: { name: 'Alice', role: 'user' } }).record];
    const prompt = renderPrompt([{ label: 'human', value: 'Name: Alice', description: 'about the user' }], [episodes[0]!, ...facts]);
    expect(prompt).toBe(
      [
        '## Core memory',
        '### human (about the user)',
        'Name: Alice',
        '',
        '## Known facts (valid from)',
        '- 2025-03-04: Works at Anthropic',
        '- 2025-03-01: Prefers tea',
        '',
        '## Relevant past conversation',
        '- 2025-03-01 Alice: We hiked near the lake',
      ].join('\n'),
    );
    expect(renderPrompt([], [])).toBe('');
  });
});
