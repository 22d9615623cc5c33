/**
 * The metadata filter language end to end: every operator and precedence case through the official
 * SDK's query, and delete-by-filter. (Parser and evaluator details: filter.parser / filter.eval tests.)
 */
import { Index } from '@upstash/vector';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalServer } from '../../scripts/local/server.js';
import { startVectorRest } from '../../scripts/local/vector-rest.js';

const TOKEN = 'vector-filter-token';
let server: LocalServer;
let index: Index;

const CITIES = [
  { id: 'istanbul', metadata: { name: 'Istanbul', population: 15460000, is_capital: false, geography: { continent: 'Asia' }, tags: ['port', 'old'] } },
  { id: 'ankara', metadata: { name: 'Ankara', population: 5663000, is_capital: true, geography: { continent: 'Asia' }, tags: ['capital'] } },
  { id: 'paris', metadata: { name: 'Paris', population: 2161000, is_capital: true, geography: { continent: 'Europe', coordinates: { latitude: 48.85 } }, tags: ['capital', 'old'] } },
  { id: 'lyon', metadata: { name: 'Lyon', population: 513275, is_capital: false, geography: { continent: 'Europe' }, tags: [] } },
  { id: 'nometa' },
];

/** Ids matching `filter`, in insertion order (all vectors are equal, so ties keep that order). */
async function ids(filter: string): Promise<string[]> {
  const res = await index.namespace('cities').query({ vector: [1, 0], topK: 10, filter });
  return res.map((r) => String(r.id));
}

beforeAll(async () => {
  server = await startVectorRest({ token: TOKEN, indexType: 'DENSE', dimension: 2 });
  index = new Index({ url: server.url, token: TOKEN, retry: false });
  await index.namespace('cities').upsert(CITIES.map((c) => ({ ...c, vector: [1, 0] })));
});
afterAll(() => server.close());

describe('filters through query', () => {
  it.each([
    ["name = 'Paris'", ['paris']],
    ["name != 'Paris'", ['istanbul', 'ankara', 'lyon']],
    ['population < 2161000', ['lyon']],
    ['population <= 2161000', ['paris', 'lyon']],
    ['population > 5663000', ['istanbul']],
    ['population >= 5663000', ['istanbul', 'ankara']],
    ['is_capital = true', ['ankara', 'paris']],
    ['is_capital = 0', ['istanbul', 'lyon']],
    ["name GLOB '*ar*'", ['ankara', 'paris']],
    ["name GLOB '[A-L]*'", ['istanbul', 'ankara', 'lyon']],
    ["name NOT GLOB '*n*'", ['paris']],
    ["geography.continent IN ('Europe', 'Africa')", ['paris', 'lyon']],
    ["geography.continent NOT IN ('Europe')", ['istanbul', 'ankara']],
    ["tags CONTAINS 'old'", ['istanbul', 'paris']],
    ["tags NOT CONTAINS 'old'", ['ankara', 'lyon']],
    ["tags[0] = 'capital'", ['ankara', 'paris']],
    ["tags[#-1] = 'old'", ['istanbul', 'paris']],
    ['HAS FIELD geography.coordinates.latitude', ['paris']],
    ['HAS NOT FIELD geography.coordinates', ['istanbul', 'ankara', 'lyon', 'nometa']],
    ['geography.coordinates.latitude > 48.5', ['paris']],
  ])('%s', async (filter, expected) => {
    expect(await ids(filter)).toEqual(expected);
  });

  it('binds AND tighter than OR, and parentheses override it', async () => {
    expect(await ids("geography.continent = 'Asia' AND is_capital = true OR name = 'Lyon'")).toEqual(['ankara', 'lyon']);
    expect(await ids("geography.continent = 'Asia' AND (is_capital = true OR name = 'Lyon')")).toEqual(['ankara']);
    expect(await ids("name = 'Lyon' OR geography.continent = 'Asia' AND is_capital = true")).toEqual(['ankara', 'lyon']);
    expect(await ids("(name = 'Lyon' OR geography.continent = 'Asia') AND is_capital = true")).toEqual(['ankara']);
  });

  it('accepts keywords in any case and both quote styles', async () => {
    expect(await ids('geography.continent = "Europe" and is_capital = FALSE')).toEqual(['lyon']);
  });

  it('answers a syntax error with 400 and its position', async () => {
    const res = await fetch(`${server.url}/query/cities`, {
      method: 'POST',
      headers: { authorization: `Bearer ${TOKEN}` },
      body: JSON.stringify({ vector: [1, 0], topK: 1, filter: 'population >> 1' }),
    });
    expect(res.status).toBe(400);
    expect(await res.json()).toEqual({ error: "Invalid filter: expected a string, number or boolean, found '>' at position 12", status: 400 });
  });
});

describe('delete by filter', () => {
  it('deletes exactly the matching records', async () => {
    const ns = index.namespace('to-delete');
    await ns.upsert(CITIES.map((c) => ({ ...c, vector: [1, 0] })));
    expect(await ns.delete({ filter: 'is_capital = true' })).toEqual({ deleted: 2 });
    expect(await ns.delete({ filter: 'is_capital = true' })).toEqual({ deleted: 0 });
    expect((await ns.range({ cursor: 0, limit: 10 })).vectors.map((v) => v.id)).toEqual(['istanbul', 'lyon', 'nometa']);
  });
});
