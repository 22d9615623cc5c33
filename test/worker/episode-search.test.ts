/**
 * Episodes are indexed with who said them and on which day (src/memory/episode-context.ts), while the
 * memory text everyone reads stays the words that were said.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { call, mintKey, unique } from './helpers';

let key: string;
let user: string;
beforeEach(async () => {
  ({ key } = await mintKey());
  user = unique('u');
});
afterEach(async () => {
  await call('DELETE', `/v1/memories?user_id=${user}`, { key });
});

const WORDS = 'I painted a sunset by the lake';
const search = async (query: string) => (await call('POST', '/v1/memories/search', { key, body: { user_id: user, query, top_k: 2 } })).json.results;

describe('episode search context', () => {
  it('finds the turn by its speaker and by its day, and returns the words alone', async () => {
    const res = await call('POST', '/v1/memories', {
      key,
      body: {
        user_id: user,
        infer: false,
        messages: [
          { role: 'user', content: WORDS, name: 'Melanie', id: 'm1', created_at: '2023-07-08T10:00:00Z' },
          { role: 'user', content: WORDS, name: 'Caroline', id: 'c1', created_at: '2023-05-08T13:56:00Z' },
        ],
      },
    });
    expect(res.status).toBe(201);
    expect(res.json.results.map((m: { memory: string }) => m.memory)).toEqual([WORDS, WORDS]);

    const byName = await search('What did Caroline paint?');
    expect(byName[0].source_ids).toEqual(['c1']);
    const byDay = await search('What was painted on 8 July 2023?');
    expect(byDay[0].source_ids).toEqual(['m1']);
    for (const m of [...byName, ...byDay]) expect(m.memory).toBe(WORDS);

    const read = await call('GET', `/v1/memories/${byName[0].id}`, { key });
    expect(read.json).toMatchObject({ memory: WORDS, metadata: { name: 'Caroline' } });
    expect(read.json).not.toHaveProperty('context');
    const listed = await call('GET', `/v1/memories?user_id=${user}`, { key });
    expect(listed.json.results.map((m: { memory: string }) => m.memory)).toEqual([WORDS, WORDS]);
  });

  it('keeps the context when the text is edited, so the edited episode is still found by its speaker', async () => {
    const res = await call('POST', '/v1/memories', {
      key,
      body: { user_id: user, infer: false, messages: [
        { role: 'user', content: WORDS, name: 'Melanie', id: 'm1', created_at: '2023-07-08T10:00:00Z' },
        { role: 'user', content: WORDS, name: 'Caroline', id: 'c1', created_at: '2023-05-08T13:56:00Z' },
      ] },
    });
    const caroline = res.json.results.find((m: { source_ids: string[] }) => m.source_ids[0] === 'c1');
    const edited = await call('PATCH', `/v1/memories/${caroline.id}`, { key, body: { memory: 'I painted a sunrise by the lake' } });
    expect(edited.json.memory).toBe('I painted a sunrise by the lake');
    const found = await search('Caroline lake');
    expect(found[0]).toMatchObject({ id: caroline.id, memory: 'I painted a sunrise by the lake' });
  });
});
