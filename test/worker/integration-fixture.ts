/**
 * The shared setup of the framework-integration tests: a typed client that calls the Worker, two
 * users, and "I'm allergic to peanuts" extracted for the first (sync, rule-based local LLM); erased after.
 */
import { exports } from 'cloudflare:workers';
import { afterAll, beforeAll } from 'vitest';
import { Engram } from '../../src/client';
import { mintKey, ORIGIN, scriptLlm, unique } from './helpers';

export function usePeanutsFixture(more: (engram: Engram, alice: string) => Promise<void> = async () => undefined) {
  const fixture = { engram: undefined as unknown as Engram, alice: unique('alice'), bob: unique('bob'), peanutsId: '' };
  beforeAll(async () => {
    await scriptLlm([]);
    fixture.engram = new Engram({ baseUrl: ORIGIN, apiKey: (await mintKey()).key, fetch: (request: Request) => exports.default.fetch(request) });
    const added = await fixture.engram.memories.add({ user_id: fixture.alice, mode: 'sync', messages: [{ role: 'user', content: "I'm allergic to peanuts" }] });
    fixture.peanutsId = added.results.find((r) => r.event === 'ADD' && /peanuts/i.test(r.memory))!.id;
    await more(fixture.engram, fixture.alice);
  });
  afterAll(async () => {
    for (const user_id of [fixture.alice, fixture.bob]) await fixture.engram.memories.deleteAll({ user_id }).catch(() => undefined);
  });
  return fixture;
}
