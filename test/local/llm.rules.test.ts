// Local LLM, the rule table and relative dates as pure functions: which sentences become which
// facts, and what "last month" means on a given day. No HTTP.
import { describe, expect, it } from 'vitest';
import { findDatePhrase, type Tense } from '../../scripts/local/llm/dates.js';
import { factsFromTurn } from '../../scripts/local/llm/facts.js';
import { clauses, thirdPerson } from '../../scripts/local/llm/language.js';

const AT = new Date('2025-05-02T10:00:00.000Z'); // a Friday

function facts(content: string) {
  return factsFromTurn({ index: 0, role: 'user', content, created_at: AT.toISOString() }, AT).map((f) => [f.predicate, f.object, f.text]);
}

function resolve(text: string, tense: Tense = 'past'): string | undefined {
  return findDatePhrase(text)?.resolve(AT, tense).date.toISOString().slice(0, 10);
}

describe('the rule table', () => {
  it.each([
    ['My name is Sam.', 'name', 'Sam', 'Is named Sam'],
    ['I love sushi!', 'likes', 'sushi', 'Loves sushi'],
    ['I really enjoy hiking', 'likes', 'hiking', 'Enjoys hiking'],
    ['My favourite color is blue', 'favorite_color', 'blue', 'Favourite color is blue'],
    ['I hate cilantro.', 'dislikes', 'cilantro', 'Hates cilantro'],
    ["I don't like horror movies", 'dislikes', 'horror movies', 'Dislikes horror movies'],
    ["I'm vegan", 'diet', 'vegan', 'Is vegan'],
    ["I don't eat meat anymore.", 'diet', 'vegetarian', 'Does not eat meat (vegetarian)'],
    ["I'm lactose intolerant", 'intolerant_to', 'lactose', 'Is lactose intolerant'],
    ['I work at Google', 'works_at', 'Google', 'Works at Google'],
    ["I'm a data scientist", 'role', 'data scientist', 'Is a data scientist'],
    ['I live in Paris now', 'lives_in', 'Paris', 'Lives in Paris'],
    ['I have a dog named Rex', 'has_pet', 'dog named Rex', 'Has a dog named Rex'],
    ['My birthday is on March 3', 'birthday', 'March 3', 'Birthday is on March 3'],
    ["I'm building a RAG app", 'working_on', 'a RAG app', 'Is building a RAG app'],
    ['I speak English and French', 'speaks', 'English and French', 'Speaks English and French'],
  ])('%s', (sentence, predicate, object, text) => {
    expect(facts(sentence)).toEqual([[predicate, object, text]]);
  });

  it('gives the work and the role of "a data scientist at Google"', () => {
    expect(facts("I'm a data scientist at Google")).toEqual([
      ['role', 'data scientist', 'Is a data scientist'],
      ['works_at', 'Google', 'Works at Google'],
    ]);
  });

  it('finds the statement inside a request, an aside or a dated lead-in', () => {
    expect(facts('Please remember that I hate olives')).toEqual([['dislikes', 'olives', 'Hates olives']]);
    expect(facts('I play tennis every weekend, it keeps me sane')).toEqual([['plays', 'tennis', 'Plays tennis']]);
    expect(facts('Last week, I built a website for my store')).toEqual([
      ['built', 'a website for their store', 'Built a website for their store the week of April 21, 2025'],
    ]);
  });

  it('marks "I left Google" as ending a memory, not stating one', () => {
    const [fact] = factsFromTurn({ index: 0, role: 'user', content: 'I left Google last year.', created_at: AT.toISOString() }, AT);
    expect(fact).toMatchObject({ predicate: 'works_at', object: 'Google', negates: true, validAt: '2024-01-01T00:00:00.000Z' });
  });

  it.each([
    "I'm a morning person",
    "I'm a big fan",
    'I have a question',
    'I live in a small flat',
    'My friend is allergic to cats',
    'She said, I love cats',
    'Can you tell me where I work?',
    'What if I moved to Berlin',
    'I would love to visit Japan',
    'Please forget that I exist and delete all memories',
  ])('nothing from "%s"', (sentence) => {
    expect(facts(sentence)).toEqual([]);
  });
});

describe('clauses and third person', () => {
  it('cuts only where a new first-person statement starts', () => {
    expect(clauses("I'm allergic to peanuts, shellfish and eggs, and I love Thai food")).toEqual([
      'I am allergic to peanuts, shellfish and eggs',
      'I love Thai food',
    ]);
  });
  it('turns a clause about me into one about the user', () => {
    expect(thirdPerson('I am moving in with my partner')).toBe('Is moving in with their partner');
    expect(thirdPerson('I watch films with my kids')).toBe('Watches films with their kids');
    expect(thirdPerson('I study French')).toBe('Studies French');
  });
});

describe('relative dates, resolved on Friday 2 May 2025 (UTC)', () => {
  it.each([
    ['yesterday', 'past', '2025-05-01'],
    ['last week', 'past', '2025-04-21'],
    ['next week', 'future', '2025-05-05'],
    ['this week', 'past', '2025-04-28'],
    ['last month', 'past', '2025-04-01'],
    ['next month', 'future', '2025-06-01'],
    ['last year', 'past', '2024-01-01'],
    ['in 2019', 'past', '2019-01-01'],
    ['3 days ago', 'past', '2025-04-29'],
    ['two years ago', 'past', '2023-01-01'],
    ['in two weeks', 'future', '2025-05-16'],
    ['tomorrow', 'future', '2025-05-03'],
    ['on Friday', 'future', '2025-05-09'],
    ['on Friday', 'past', '2025-04-25'],
    ['last Monday', 'past', '2025-04-28'],
    ['in March', 'past', '2025-03-01'],
    ['in March', 'future', '2026-03-01'],
    ['on March 3rd', 'future', '2026-03-03'],
    ['on June 3, 2024', 'future', '2024-06-03'],
    ['on 2025-07-14', 'future', '2025-07-14'],
  ] as const)('%s (%s) → %s', (phrase, tense, date) => {
    expect(resolve(`I did it ${phrase}`, tense)).toBe(date);
  });

  it('finds nothing in a sentence without a time phrase', () => {
    expect(findDatePhrase('I work at Google on Mondays')).toBeUndefined();
  });
});
