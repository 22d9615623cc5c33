/**
 * The temporal knowledge graph through the API: entities resolved from the extraction's names, facts
 * as edges with the windows they held in, what was true when (as_of), history, aliases, people who
 * share a first name, erase, and graph reads that stay one round trip however many facts a scope has.
 * The LLM is scripted: each test says exactly which operations the model returns.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import { call, mintKey, op, redis, scriptLlm, unique, vector, waves } from './helpers';
import { scopeKeys } from './store-scan';

let key: string;
let tenant: string;
let user: string;
beforeEach(async () => {
  ({ key, tenant } = await mintKey());
  user = unique('u');
  await scriptLlm([]);
});

type Ent = { name: string; type: string; aliases?: string[] };
const iso = (t: string) => new Date(t).toISOString();

/** One user turn sent at `at`, extracted at once with the scripted answer. */
async function say(content: string, at: string, operations: Array<Record<string, unknown>>, entities: Ent[] = [], who = user) {
  await scriptLlm([{ content: { operations: operations.map(op), entities: entities.map((e) => ({ aliases: [], ...e })) } }]);
  const res = await call('POST', '/v1/memories', { key, body: { user_id: who, mode: 'sync', messages: [{ role: 'user', content, created_at: iso(at) }] } });
  expect(res.status, JSON.stringify(res.json)).toBe(200);
  expect(res.json.status).toBe('succeeded');
  return res.json;
}

async function entity(name: string, q: Record<string, string> = {}, who = user) {
  return call('GET', `/v1/entities/${encodeURIComponent(name)}?${new URLSearchParams({ user_id: who, ...q })}`, { key });
}

type EdgeOut = { subject: string; predicate: string; object: string; fact: string; valid_at: string; invalid_at: string | null; expired_at: string | null };
const objects = (edges: EdgeOut[]) => edges.map((e) => e.object);

describe('facts that change over time', () => {
  it('a job change: Google until March 2025, Anthropic since; as_of on both sides of the change', async () => {
    await say('I work at Google', '2019-03-01', [{ text: 'Works at Google', subject: 'user', predicate: 'works_at', object: 'Google', entities: ['Google'] }], [{ name: 'Google', type: 'organisation' }]);
    await say('I just started at Anthropic!', '2025-03-10', [
      { event: 'INVALIDATE', ref: 1, text: 'Works at Anthropic', subject: 'user', predicate: 'works_at', object: 'Anthropic', entities: ['Anthropic'] },
    ], [{ name: 'Anthropic', type: 'organisation' }]);

    const now = await entity('user', { include_history: 'true' });
    expect(now.status).toBe(200);
    expect(now.json.entity).toMatchObject({ name: 'user', type: 'person' });
    expect(now.json.facts).toEqual([expect.objectContaining({ subject: 'user', predicate: 'works_at', object: 'Anthropic', valid_at: iso('2025-03-10'), invalid_at: null, expired_at: null })]);
    expect(now.json.history).toEqual([expect.objectContaining({ object: 'Google', valid_at: iso('2019-03-01'), invalid_at: iso('2025-03-10'), expired_at: expect.any(String) })]);
    expect(now.json.neighbours).toEqual([expect.objectContaining({ name: 'Anthropic', type: 'organisation', shared: 1 })]);

    const before = await entity('user', { as_of: '2024-06-01T00:00:00Z' });
    expect(objects(before.json.facts)).toEqual(['Google']);
    expect(before.json.neighbours.map((n: { name: string }) => n.name)).toEqual(['Google']);
    expect(objects((await entity('user', { as_of: String(Date.parse('2025-04-01')) })).json.facts)).toEqual(['Anthropic']);
    expect((await entity('user', { as_of: '2018-01-01T00:00:00Z' })).json.facts).toEqual([]);

    // The organisation's side of the same edges, by any spelling of its name.
    const google = await entity('google', { include_history: 'true' });
    expect(google.json.entity).toMatchObject({ name: 'Google', type: 'organisation' });
    expect(google.json.facts).toEqual([]);
    expect(objects(google.json.history)).toEqual(['Google']);
    expect(objects((await entity('GOOGLE', { as_of: '2020-01-01T00:00:00Z' })).json.facts)).toEqual(['Google']);
    expect((await entity('Anthropic, Inc.')).json.entity.name).toBe('Anthropic');
  });

  it('moving cities twice: each city in its own window, history in time order', async () => {
    const city = (c: string) => ({ subject: 'user', predicate: 'lives_in', object: c, entities: [c] });
    await say('I live in Lisbon', '2018-05-01', [{ text: 'Lives in Lisbon', ...city('Lisbon') }], [{ name: 'Lisbon', type: 'place' }]);
    await say('We moved to Berlin', '2021-02-01', [{ event: 'INVALIDATE', ref: 1, text: 'Lives in Berlin', ...city('Berlin') }], [{ name: 'Berlin', type: 'place' }]);
    await say('Now in Tokyo!', '2024-09-01', [{ event: 'INVALIDATE', ref: 1, text: 'Lives in Tokyo', ...city('Tokyo') }], [{ name: 'Tokyo', type: 'place' }]);

    expect(objects((await entity('user', { as_of: '2019-01-01T00:00:00Z' })).json.facts)).toEqual(['Lisbon']);
    expect(objects((await entity('user', { as_of: '2022-01-01T00:00:00Z' })).json.facts)).toEqual(['Berlin']);
    const now = await entity('user', { include_history: 'true' });
    expect(objects(now.json.facts)).toEqual(['Tokyo']);
    expect(now.json.history.map((e: EdgeOut) => [e.object, e.valid_at, e.invalid_at])).toEqual([
      ['Lisbon', iso('2018-05-01'), iso('2021-02-01')],
      ['Berlin', iso('2021-02-01'), iso('2024-09-01')],
    ]);
    const berlin = await entity('Berlin', { as_of: '2022-01-01T00:00:00Z' });
    expect(berlin.json.facts).toEqual([expect.objectContaining({ subject: 'user', predicate: 'lives_in', object: 'Berlin' })]);
  });

  it('a preference reversed and reversed back keeps all three windows', async () => {
    const coffee = (text: string, predicate: string) => ({ text, kind: 'preference', subject: 'user', predicate, object: 'coffee', entities: ['coffee'] });
    await say('I love coffee', '2023-01-10', [coffee('Likes coffee', 'likes')], [{ name: 'coffee', type: 'product' }]);
    await say('Coffee makes me jittery now, I stopped', '2023-06-10', [{ event: 'INVALIDATE', ref: 1, ...coffee('Dislikes coffee', 'dislikes') }]);
    await say('OK I am back on coffee', '2024-01-10', [{ event: 'INVALIDATE', ref: 1, ...coffee('Likes coffee', 'likes') }]);

    const now = await entity('coffee', { include_history: 'true' });
    expect(now.json.facts.map((e: EdgeOut) => [e.fact, e.valid_at])).toEqual([['Likes coffee', iso('2024-01-10')]]);
    expect(now.json.history.map((e: EdgeOut) => [e.fact, e.valid_at, e.invalid_at])).toEqual([
      ['Likes coffee', iso('2023-01-10'), iso('2023-06-10')],
      ['Dislikes coffee', iso('2023-06-10'), iso('2024-01-10')],
    ]);
    expect((await entity('coffee', { as_of: '2023-08-01T00:00:00Z' })).json.facts.map((e: EdgeOut) => e.fact)).toEqual(['Dislikes coffee']);
    expect((await entity('coffee', { as_of: '2023-03-01T00:00:00Z' })).json.facts.map((e: EdgeOut) => e.fact)).toEqual(['Likes coffee']);
    // Three records: the first "Likes coffee" was not overwritten by the second.
    const all = await call('GET', `/v1/memories?user_id=${user}&include_invalidated=true`, { key });
    expect(all.json.results.filter((m: { kind: string }) => m.kind === 'preference')).toHaveLength(3);
  });

  it('a fact about the past learned late is stored closed and does not close the newer one', async () => {
    await say('I live in Berlin', '2022-01-15', [{ text: 'Lives in Berlin', subject: 'user', predicate: 'lives_in', object: 'Berlin', entities: ['Berlin'] }], [{ name: 'Berlin', type: 'place' }]);
    // Sent today, about 2019: the model dates it from the text.
    await say('Back in 2019 I lived in Lisbon', '2025-05-02', [
      { event: 'INVALIDATE', ref: 1, text: 'Lived in Lisbon', subject: 'user', predicate: 'lives_in', object: 'Lisbon', entities: ['Lisbon'], valid_at: '2019-01-01T00:00:00Z' },
    ], [{ name: 'Lisbon', type: 'place' }]);

    const now = await entity('user', { include_history: 'true' });
    expect(now.json.facts.map((e: EdgeOut) => [e.object, e.invalid_at])).toEqual([['Berlin', null]]);
    expect(now.json.history.map((e: EdgeOut) => [e.object, e.valid_at, e.invalid_at])).toEqual([['Lisbon', iso('2019-01-01'), iso('2022-01-15')]]);
    expect(objects((await entity('user', { as_of: '2019-06-01T00:00:00Z' })).json.facts)).toEqual(['Lisbon']);
    expect(objects((await entity('Lisbon', { as_of: '2019-06-01T00:00:00Z' })).json.facts)).toEqual(['Lisbon']);
  });
});

describe('entity resolution', () => {
  it('keeps two people with the same first name apart, and a bare first name merges with neither', async () => {
    await say('My colleague Alice Chen works at Google and my sister Alice Park lives in Porto', '2025-01-05', [
      { text: 'Colleague Alice Chen works at Google', subject: 'Alice Chen', predicate: 'works_at', object: 'Google', entities: ['Google'] },
      { text: 'Sister Alice Park lives in Porto', subject: 'Alice Park', predicate: 'lives_in', object: 'Porto', entities: ['Porto'] },
    ], [{ name: 'Alice Chen', type: 'person' }, { name: 'Alice Park', type: 'person' }, { name: 'Google', type: 'organisation' }, { name: 'Porto', type: 'place' }]);
    await say('Alice loves climbing', '2025-01-06', [{ text: 'Alice loves climbing', subject: 'Alice', predicate: 'likes', object: 'climbing', entities: [] }], [{ name: 'Alice', type: 'person' }]);

    expect((await entity('Alice Chen')).json.facts.map((e: EdgeOut) => e.fact)).toEqual(['Colleague Alice Chen works at Google']);
    expect((await entity('alice park')).json.facts.map((e: EdgeOut) => e.fact)).toEqual(['Sister Alice Park lives in Porto']);
    const alice = await entity('Alice');
    expect(alice.json.entity).toMatchObject({ name: 'Alice', aliases: [] });
    expect(alice.json.facts.map((e: EdgeOut) => e.fact)).toEqual(['Alice loves climbing']);

    const list = await call('GET', `/v1/entities?user_id=${user}`, { key });
    expect(list.status).toBe(200);
    const names = list.json.entities.map((e: { name: string }) => e.name).sort();
    expect(names).toEqual(['Alice', 'Alice Chen', 'Alice Park', 'Google', 'Porto']);
    expect(list.json.entities.find((e: { name: string }) => e.name === 'Alice Chen')).toMatchObject({ type: 'person', facts: 1 });
  });

  it('resolves "Bob" to Robert Smith once the conversation says they are the same', async () => {
    await say('My manager Robert Smith, everyone calls him Bob, works in London', '2025-02-01', [
      { text: 'Manager Robert Smith works in London', subject: 'Robert Smith', predicate: 'works_in', object: 'London', entities: ['London'] },
    ], [{ name: 'Robert Smith', type: 'person', aliases: ['Bob'] }, { name: 'London', type: 'place' }]);
    await say('Bob got promoted to director', '2025-03-01', [
      { text: 'Bob was promoted to director', subject: 'Bob', predicate: 'has_title', object: 'director', entities: [] },
    ], [{ name: 'Bob', type: 'person' }]);

    const bob = await entity('bob');
    expect(bob.json.entity).toMatchObject({ name: 'Robert Smith', type: 'person', aliases: ['bob'] });
    expect(bob.json.facts.map((e: EdgeOut) => [e.subject, e.predicate])).toEqual([['Robert Smith', 'has_title'], ['Robert Smith', 'works_in']]);
    expect((await entity('Robert Smith')).json.facts).toEqual(bob.json.facts);

    // Another user's Bob is nobody's alias there: a separate entity in a separate graph.
    const other = unique('u');
    await say('Bob is my neighbour', '2025-03-02', [{ text: 'Neighbour Bob', subject: 'Bob', predicate: 'is', object: 'neighbour', entities: [] }], [{ name: 'Bob', type: 'person' }], other);
    expect((await entity('bob', {}, other)).json.entity).toMatchObject({ name: 'Bob', aliases: [] });
    expect((await entity('Robert Smith', {}, other)).status).toBe(404);
    await call('DELETE', `/v1/memories?user_id=${other}`, { key });
  });
});

describe('ambiguous names', () => {
  it('a nickname two people share leads to neither; a bare mention of it is its own entity, found by its name', async () => {
    await say('Robert Smith (Bob) and Robert Jones (also Bob) both joined', '2025-02-01', [
      { text: 'Robert Smith joined the team', subject: 'Robert Smith', predicate: 'joined', object: 'team', entities: [] },
      { text: 'Robert Jones joined the team', subject: 'Robert Jones', predicate: 'joined', object: 'team', entities: [] },
    ], [{ name: 'Robert Smith', type: 'person', aliases: ['Bob'] }, { name: 'Robert Jones', type: 'person', aliases: ['Bob'] }]);
    expect((await entity('Bob')).status).toBe(404);
    expect((await entity('Robert Smith')).json.entity.aliases).toEqual([]);
    await say('Bob brought cake', '2025-02-02', [{ text: 'Bob brought cake', subject: 'Bob', predicate: 'brought', object: 'cake', entities: [] }], [{ name: 'Bob', type: 'person' }]);
    await say('Bob brought cake again', '2025-02-03', [{ text: 'Bob brought cake again', subject: 'Bob', predicate: 'brought', object: 'cake', entities: [] }], [{ name: 'Bob', type: 'person' }]);
    const bob = await entity('bob');
    expect(bob.json.entity).toMatchObject({ name: 'Bob', aliases: [] });
    expect(bob.json.facts.map((e: EdgeOut) => e.fact).sort()).toEqual(['Bob brought cake', 'Bob brought cake again']);
    expect((await entity('Robert Smith')).json.facts.map((e: EdgeOut) => e.fact)).toEqual(['Robert Smith joined the team']);
  });
});

describe('graph reads in search and context', () => {
  async function sisterStory() {
    await say('My sister Alice Park moved to Porto in spring', '2025-04-01', [
      { text: 'Moved to Porto in spring', subject: 'Alice Park', predicate: 'lives_in', object: 'Porto', entities: ['Porto'] },
    ], [{ name: 'Alice Park', type: 'person' }, { name: 'Porto', type: 'place' }]);
    for (const [i, thing] of ['green tea', 'jazz records', 'trail running', 'old maps'].entries()) {
      await say(`I like ${thing}`, `2025-04-0${2 + i}`, [{ text: `Likes ${thing}`, kind: 'preference', subject: 'user', predicate: 'likes', object: thing, entities: [] }]);
    }
  }

  it('search with graph: true fuses the named entity\'s facts with the vector results, and explains each rank', async () => {
    await sisterStory();
    const res = await call('POST', '/v1/memories/search', { key, body: { user_id: user, query: "What's new with Alice Park?", kinds: ['fact', 'preference'], graph: true, explain: true, top_k: 3 } });
    expect(res.status).toBe(200);
    expect(res.json.entities).toEqual(['Alice Park']);
    expect(res.json.results[0]).toMatchObject({ memory: 'Moved to Porto in spring', score_details: { fusion: { graph_rank: 1 } } });
    const plain = await call('POST', '/v1/memories/search', { key, body: { user_id: user, query: "What's new with Alice Park?", kinds: ['fact', 'preference'], explain: true, top_k: 3 } });
    expect(plain.json.entities).toBeUndefined();
    for (const r of plain.json.results) expect(r.score_details.fusion).toBeUndefined();
    // The kinds filter applies to the graph's facts too.
    const episodesOnly = await call('POST', '/v1/memories/search', { key, body: { user_id: user, query: 'Alice Park', kinds: ['episode'], graph: true } });
    expect(episodesOnly.json.results.every((m: { kind: string }) => m.kind === 'episode')).toBe(true);
  });

  it('a graph search still answers from the vector side when the graph read fails', async () => {
    await sisterStory();
    await redis('POST', '/_local/faults', { error_rate: 1, match: 'history, depth' });
    try {
      const res = await call('POST', '/v1/memories/search', { key, body: { user_id: user, query: 'Alice Park', kinds: ['fact', 'preference'], graph: true } });
      expect(res.status).toBe(200);
      expect(res.json.entities).toBeUndefined();
      expect(res.json.results.length).toBeGreaterThan(0);
    } finally {
      await redis('POST', '/_local/faults', { error_rate: 0, delay_ms: 0, match: '' });
    }
  });

  it('context brings the current facts of the entities the query names, within the budget', async () => {
    await sisterStory();
    const res = await call('POST', '/v1/context', { key, body: { user_id: user, query: 'Should I visit Alice Park?', top_k: 1, max_messages: 0, kinds: ['fact', 'preference'] } });
    expect(res.status).toBe(200);
    expect(res.json.entities).toEqual(['Alice Park']);
    expect(res.json.memories.map((m: { memory: string }) => m.memory)).toEqual(['Moved to Porto in spring']);
    expect(res.json.prompt).toMatch(/Moved to Porto in spring/);
    const off = await call('POST', '/v1/context', { key, body: { user_id: user, query: 'Should I visit Alice Park?', top_k: 1, max_messages: 0, kinds: ['fact', 'preference'], graph: false } });
    expect(off.json.entities).toBeUndefined();
    // Without the graph the vector side alone ranks another memory first: the graph is what brought it.
    expect(off.json.memories.map((m: { memory: string }) => m.memory)).not.toContain('Moved to Porto in spring');
  });
});

describe('size and erase', () => {
  it('answers for a scope with 1,000 facts in one Redis round trip, and a graph search in one wave', async () => {
    const cities = Array.from({ length: 20 }, (_, i) => `City ${i}`);
    for (let batch = 0; batch < 5; batch++) {
      const ops = Array.from({ length: 200 }, (_, j) => {
        const n = batch * 200 + j;
        const c = cities[n % cities.length]!;
        return { text: `Visited ${c} on trip ${n}`, subject: 'user', predicate: 'visited', object: c, entities: [c], valid_at: new Date(Date.UTC(2020, 0, 1) + n * 3_600_000).toISOString() };
      });
      await say(`trip log ${batch}`, '2025-01-01', ops, cities.map((name) => ({ name, type: 'place' })));
    }
    await entity('user'); // the key's first request in this isolate is checked on its own
    for (const server of [redis, vector]) {
      await server('POST', '/_local/faults', { delay_ms: 25 });
      await server('DELETE', '/_local/log');
    }
    const res = await entity('user', { limit: '50' });
    const r = await redis('GET', '/_local/log');
    const v = await vector('GET', '/_local/log');
    expect(res.status).toBe(200);
    expect(res.json.facts_total).toBe(1000);
    expect(res.json.facts).toHaveLength(50);
    expect(res.json.facts[0].fact).toBe('Visited City 19 on trip 999');
    expect(res.json.neighbours).toHaveLength(20);
    expect(res.json.neighbours[0]).toMatchObject({ shared: 50 });
    expect(v).toHaveLength(0);
    // The key lookup and the rate-limit count ride beside the one graph read.
    expect(r.length).toBeLessThanOrEqual(3);
    expect(waves(r)).toBe(1);

    for (const server of [redis, vector]) await server('DELETE', '/_local/log');
    const found = await call('POST', '/v1/memories/search', { key, body: { user_id: user, query: 'trips to City 7', graph: true, top_k: 5 } });
    const r2 = await redis('GET', '/_local/log');
    const v2 = await vector('GET', '/_local/log');
    for (const server of [redis, vector]) await server('POST', '/_local/faults', { error_rate: 0, delay_ms: 0, match: '' });
    expect(found.status).toBe(200);
    expect(found.json.entities).toEqual(['City 7']);
    expect(v2).toHaveLength(1);
    expect(r2.length).toBeLessThanOrEqual(3);
    expect(waves([...r2, ...v2])).toBe(1);
  });

  it('erasing a user clears the graph', async () => {
    await say('I work at Google', '2024-01-01', [{ text: 'Works at Google', subject: 'user', predicate: 'works_at', object: 'Google', entities: ['Google'] }], [{ name: 'Google', type: 'organisation', aliases: ['Alphabet'] }]);
    expect((await entity('alphabet')).status).toBe(200);
    expect(Object.keys(await scopeKeys(tenant, user)).some((k) => k.includes(':edge'))).toBe(true);
    expect((await call('DELETE', `/v1/memories?user_id=${user}`, { key })).status).toBe(200);
    expect((await entity('Google')).status).toBe(404);
    expect((await call('GET', `/v1/entities?user_id=${user}`, { key })).json).toEqual({ entities: [], next_cursor: null });
    const left = Object.entries(await scopeKeys(tenant, user)).filter(([, v]) => v.value.length > 0);
    expect(left).toEqual([]);
  });

  it('keeps each tenant\'s and each user\'s graph to itself', async () => {
    await say('I work at Initech', '2024-01-01', [{ text: 'Works at Initech', subject: 'user', predicate: 'works_at', object: 'Initech', entities: ['Initech'] }], [{ name: 'Initech', type: 'organisation' }]);
    const other = await mintKey();
    for (const path of [`/v1/entities/Initech?user_id=${user}`, `/v1/entities/user?user_id=${user}`]) {
      expect((await call('GET', path, { key: other.key })).status).toBe(404);
    }
    expect((await call('GET', `/v1/entities?user_id=${user}`, { key: other.key })).json.entities).toEqual([]);
    const found = await call('POST', '/v1/memories/search', { key: other.key, body: { user_id: user, query: 'Initech', graph: true } });
    expect(found.json).toEqual({ results: [], entities: [] });
    expect((await entity('Initech', {}, unique('u'))).status).toBe(404);
    // A narrower scope (an agent within the user) sees only its own facts on the same entity.
    const agentView = await call('GET', `/v1/entities/Initech?user_id=${user}&agent_id=${unique('a')}`, { key });
    expect(agentView.json.facts).toEqual([]);
  });

  it('refuses bad input with a clear error', async () => {
    expect((await call('GET', `/v1/entities?user_id=${user}&limit=0`, { key })).status).toBe(400);
    expect((await entity('x', { depth: '3' })).status).toBe(400);
    expect((await entity('x', { as_of: 'yesterday' })).status).toBe(400);
    expect((await call('GET', '/v1/entities/x', { key })).json.error.code).toBe('INVALID_INPUT');
    const missing = await entity('nobody');
    expect(missing.status).toBe(404);
    expect(missing.json.error.code).toBe('NOT_FOUND');
    expect((await call('GET', `/v1/entities/user?user_id=${user}`)).status).toBe(401);
  });
});
