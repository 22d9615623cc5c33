/**
 * What the benchmark sends: synthetic but word-realistic memory sentences (a seeded PRNG over small
 * word lists, so runs are comparable and the BM25 side of the index sees real term statistics), the
 * queries, and the bodies of the three hot-path requests.
 */

export { prng } from '../local/prng';

const PEOPLE = ['Alice', 'Bruno', 'Chen', 'Dara', 'Elif', 'Farid', 'Grace', 'Hugo', 'Ines', 'Jonas', 'Kemal', 'Lena'];
const VERBS = ['likes', 'dislikes', 'booked', 'mentioned', 'is allergic to', 'bought', 'recommended', 'wants to try', 'cooked', 'visited'];
const THINGS = [
  'peanuts', 'sushi', 'a trip to Lisbon', 'hiking boots', 'jazz concerts', 'the new espresso machine', 'oat milk', 'a yoga class',
  'Thai curry', 'a flight to Tokyo', 'running shoes', 'the museum in Porto', 'gluten-free bread', 'a vegan bakery', 'board games',
  'a piano lesson', 'strawberries', 'the dentist appointment', 'a camping weekend', 'green tea', 'the marathon in Berlin', 'shellfish',
  'a cooking course', 'mountain biking', 'the quarterly report', 'a birthday dinner', 'chess club', 'dark chocolate', 'a violin', 'tennis',
];
const WHEN = ['last week', 'yesterday', 'on Monday', 'this morning', 'in March', 'every weekend', 'twice a month', 'before the holidays'];
const WHY = ['with a colleague', 'for the kids', 'after work', 'to relax', 'because of the doctor', 'with friends', 'on a budget', 'as a surprise'];

const pick = <T>(rand: () => number, list: readonly T[]): T => list[Math.floor(rand() * list.length)]!;

export function sentence(rand: () => number): string {
  return `${pick(rand, PEOPLE)} ${pick(rand, VERBS)} ${pick(rand, THINGS)} ${pick(rand, WHEN)} ${pick(rand, WHY)}.`;
}

/** Questions an agent would ask before a model call; they share words with the sentences. */
export const QUERIES = [
  'what food allergies does the user have?', 'plan a weekend trip', 'suggest a snack', 'which concerts did they like?',
  'any upcoming appointments?', 'what sports does the user do?', 'recommend a restaurant for dinner', 'what did they buy recently?',
  'hobbies with friends', 'travel plans to Tokyo', 'what drinks do they prefer?', 'music lessons',
];

export const query = (i: number): string => QUERIES[i % QUERIES.length]!;

/** The hot-path bodies for one scope (`user`) and session (`run`). */
export const bodies = {
  ingest: (user: string, run: string, text: string) => ({ user_id: user, run_id: run, messages: [{ role: 'user', content: text }] }),
  search: (user: string, text: string) => ({ user_id: user, query: text, top_k: 10 }),
  context: (user: string, run: string, text: string) => ({ user_id: user, run_id: run, query: text, token_budget: 1500 }),
};
