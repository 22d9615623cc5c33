import { describe, expect, it } from 'vitest';
import { normaliseEvidence, emptyDropped, parseLocomo, parseSessionDate } from '../../scripts/eval/locomo';

const turn = (id: string, text: string, extra: Record<string, unknown> = {}) => ({ speaker: 'Ann', dia_id: id, text, ...extra });

/** A small conversation in the dataset's shape; `patch` replaces or adds fields of `conversation`. */
function conv(patch: Record<string, unknown> = {}, qa: unknown[] = []) {
  return {
    sample_id: 'conv-x',
    conversation: {
      speaker_a: 'Ann',
      speaker_b: 'Bo',
      session_1_date_time: '1:56 pm on 8 May, 2023',
      session_1: [turn('D1:1', 'I adopted a dog'), turn('D1:2', 'What is its name?'), turn('D1:3', 'Rex')],
      session_2_date_time: '10:05 am on 20 May, 2023',
      session_2: [turn('D2:1', 'Rex chewed my shoes'), turn('D2:2', 'Look', { blip_caption: 'a photo of a dog' })],
      ...patch,
    },
    qa,
  };
}

describe('session dates', () => {
  it('reads the dataset’s free-text form as UTC, with am/pm', () => {
    expect(parseSessionDate('1:56 pm on 8 May, 2023')).toBe(Date.UTC(2023, 4, 8, 13, 56));
    expect(parseSessionDate('12:48 am on 1 February, 2023')).toBe(Date.UTC(2023, 1, 1, 0, 48));
    expect(parseSessionDate('12:05 pm on 1 February, 2023')).toBe(Date.UTC(2023, 1, 1, 12, 5));
  });

  it('reads month-first, date-only and ISO forms', () => {
    expect(parseSessionDate('May 8, 2023, 10:00 am')).toBe(Date.UTC(2023, 4, 8, 10, 0));
    expect(parseSessionDate('8 Sept 2023')).toBe(Date.UTC(2023, 8, 8));
    expect(parseSessionDate('2023-05-08T13:56:00Z')).toBe(Date.UTC(2023, 4, 8, 13, 56));
  });

  it('refuses what is not a date', () => {
    for (const bad of ['', 'sometime last spring', '31 February, 2023', '8 Foo, 2023', '13:99 on 8 May, 2023']) {
      expect(parseSessionDate(bad), bad).toBeUndefined();
    }
  });
});

describe('parsing conversations', () => {
  it('takes the sessions in order, with one second between turns and image captions in the text', () => {
    const { conversations, dropped } = parseLocomo([conv()]);
    expect(conversations).toHaveLength(1);
    const [s1, s2] = conversations[0]!.sessions;
    expect(s1!.turns.map((t) => t.id)).toEqual(['D1:1', 'D1:2', 'D1:3']);
    expect(s1!.turns[2]!.created_at - s1!.turns[0]!.created_at).toBe(2000);
    expect(s2!.created_at).toBe(Date.UTC(2023, 4, 20, 10, 5));
    expect(s2!.turns[1]!.text).toBe('Look [image: a photo of a dog]');
    expect(dropped).toEqual(emptyDropped());
  });

  it('skips sessions without turns and date keys without a session, and counts them', () => {
    const { conversations, dropped } = parseLocomo([conv({ session_3_date_time: '1 June, 2023', session_4: [], session_5: 'oops', session_6_date_time: '2 June, 2023', session_6: [] })]);
    expect(conversations[0]!.sessions.map((s) => s.index)).toEqual([1, 2]);
    expect(dropped.sessions_without_turns).toBe(4);
  });

  it('places a session with an unreadable date a day after the previous one', () => {
    const { conversations, dropped } = parseLocomo([conv({ session_2_date_time: 'the day after' })]);
    const [s1, s2] = conversations[0]!.sessions;
    expect(s2!.created_at - s1!.created_at).toBe(86_400_000);
    expect(dropped.session_dates_unreadable).toBe(1);
  });

  it('drops turns without an id or any text, and repeated ids', () => {
    const bad = [turn('D1:1', 'I adopted a dog'), { speaker: 'Ann', text: 'no id' }, turn('D1:2', '   '), turn('D1:1', 'again'), 'not a turn', turn('D1:3', '', { blip_caption: 'a cat' })];
    const { conversations, dropped } = parseLocomo([conv({ session_1: bad })]);
    expect(conversations[0]!.sessions[0]!.turns.map((t) => [t.id, t.text])).toEqual([['D1:1', 'I adopted a dog'], ['D1:3', '[image: a cat]']]);
    expect(dropped.turns_malformed).toBe(3);
    expect(dropped.turns_duplicate_id).toBe(1);
  });

  it('leaves out adversarial, malformed and evidence-less questions, and counts each', () => {
    const qa = [
      { question: 'What is the dog called?', evidence: ['D1:3'], category: 4 },
      { question: 'Trick?', evidence: ['D1:1'], category: 5 },
      { evidence: ['D1:1'], category: 1 },
      { question: 'No category', evidence: ['D1:1'] },
      { question: 'Nothing to find', evidence: [], category: 3 },
      { question: 'Only bad ids', evidence: ['D9:9', 'D'], category: 2 },
    ];
    const { conversations, dropped } = parseLocomo([conv({}, qa)]);
    expect(conversations[0]!.questions).toEqual([{ question: 'What is the dog called?', evidence: ['D1:3'], category: 4 }]);
    expect(dropped).toMatchObject({ questions_adversarial: 1, questions_malformed: 2, questions_without_evidence: 2, evidence_dropped: 2 });
  });

  it('counts malformed conversations, stops at the limit, and refuses a file that is not a list', () => {
    const { conversations, dropped } = parseLocomo([null, { sample_id: 'empty', conversation: { session_1: [] } }, conv(), conv(), conv()], 2);
    expect(conversations).toHaveLength(2);
    expect(dropped.conversations_malformed).toBe(2);
    expect(() => parseLocomo({ conversations: [] })).toThrow(/list/);
  });
});

describe('evidence ids', () => {
  const known = new Set(['D1:3', 'D8:6', 'D9:17', 'D11:26', 'D2:3', 'D2:4', 'D2:5', 'D30:5']);

  it('repairs the malformed forms the dataset contains, keeping only ids of real turns', () => {
    const dropped = emptyDropped();
    expect(normaliseEvidence(['D8:6; D9:17'], known, dropped)).toEqual(['D8:6', 'D9:17']);
    expect(normaliseEvidence(['D:11:26', 'D1:3.'], known, dropped)).toEqual(['D11:26', 'D1:3']);
    expect(normaliseEvidence(['D2:3-5'], known, dropped)).toEqual(['D2:3', 'D2:4', 'D2:5']);
    expect(normaliseEvidence(['D30:05'], known, dropped)).toEqual(['D30:5']);
    expect(dropped.evidence_repaired).toBe(5);
    expect(dropped.evidence_dropped).toBe(0);
  });

  it('drops ids that name no turn, blanks and non-strings, and de-duplicates', () => {
    const dropped = emptyDropped();
    expect(normaliseEvidence(['D', 'D99:1', '', 42, 'D1:3', 'D1:3'], known, dropped)).toEqual(['D1:3']);
    expect(normaliseEvidence('D1:3', known, dropped)).toEqual([]);
    expect(dropped.evidence_dropped).toBe(4);
  });
});
