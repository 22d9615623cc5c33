import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { call, local, mintKey, redis, unique } from './helpers';

let key: string;
let tenant: string;
let user: string;
let agent: string;
let agent2: string;
let agent3: string;
beforeEach(async () => {
  ({ key, tenant } = await mintKey());
  [user, agent, agent2, agent3] = [unique('u'), unique('a'), unique('a'), unique('a')];
}, 30_000);
afterEach(async () => {
  for (const q of [`user_id=${user}`, `agent_id=${agent}`, `agent_id=${agent2}`, `agent_id=${agent3}`]) await call('DELETE', `/v1/memories?${q}`, { key });
}, 30_000);

const as = (holder: string) => (holder.startsWith('u-') ? `user_id=${holder}` : `agent_id=${holder}`);
const put = (holder: string, label: string, body: Record<string, unknown>, k = key) => call('PUT', `/v1/blocks/${label}?${as(holder)}`, { key: k, body });
const get = (holder: string, label: string, k = key) => call('GET', `/v1/blocks/${label}?${as(holder)}`, { key: k });
const post = (holder: string, path: string, body: Record<string, unknown>) => call('POST', `/v1/blocks/${path}?${as(holder)}`, { key, body });
const del = (holder: string, label: string) => call('DELETE', `/v1/blocks/${label}?${as(holder)}`, { key });
const history = async (holder: string, label: string) => (await call('GET', `/v1/blocks/${label}/history?${as(holder)}`, { key })).json.history as Array<Record<string, any>>;
const list = async (query: string, k = key) => (await call('GET', `/v1/blocks?${query}`, { key: k })).json.blocks as Array<Record<string, any>>;

/** One command to the local Redis REST server, plain (unencoded) answers. */
const redisCommand = async (command: unknown[]) =>
  ((await (await fetch(`${local.redis}/`, { method: 'POST', headers: { authorization: `Bearer ${local.tokens.redis}` }, body: JSON.stringify(command) })).json()) as { result: any }).result;

describe('create, read, list, update', () => {
  it('creates with defaults (201), updates (200, new version), and a PUT that changes nothing writes nothing', async () => {
    const created = await put(agent, 'persona', { value: 'I am a careful cook.', description: 'who the agent is' });
    expect(created.status).toBe(201);
    expect(created.json).toMatchObject({ label: 'persona', value: 'I am a careful cook.', limit: 2000, description: 'who the agent is', read_only: false, owner: { agent_id: agent }, attached: [], version: 1 });
    expect(created.json.updated_at).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    expect((await get(agent, 'persona')).json).toEqual(created.json);

    const updated = await put(agent, 'persona', { value: 'I am a bold cook.', limit: 500 });
    expect(updated.status).toBe(200);
    expect(updated.json).toMatchObject({ value: 'I am a bold cook.', limit: 500, description: 'who the agent is', version: 2 });
    const same = await put(agent, 'persona', { value: 'I am a bold cook.' });
    expect(same.json.version).toBe(2);
    expect((await history(agent, 'persona')).map((r) => r.event)).toEqual(['CREATE', 'UPDATE']);
    const cleared = await put(agent, 'persona', { description: null });
    expect(cleared.json).not.toHaveProperty('description');
    expect((await put(agent, 'empty', {})).json).toMatchObject({ value: '', limit: 2000, version: 1 });
  });

  it('lists the user’s blocks then the agent’s, each by label, in one Redis round trip', async () => {
    await put(agent, 'persona', { value: 'agent persona' });
    await put(agent, 'instructions', { value: 'be brief' });
    await put(user, 'human', { value: 'Sam, vegetarian' });
    await put(user, 'persona', { value: 'user-side persona' });
    await redis('DELETE', '/_local/log');
    const blocks = await list(`user_id=${user}&agent_id=${agent}`);
    expect(blocks.map((b) => [b.label, b.owner])).toEqual([
      ['human', { user_id: user }],
      ['persona', { user_id: user }],
      ['instructions', { agent_id: agent }],
      ['persona', { agent_id: agent }],
    ]);
    const calls = (await redis('GET', '/_local/log')) as Array<{ excerpt: string }>;
    expect(calls.filter((c) => /eval/i.test(c.excerpt))).toHaveLength(1);
    expect((await list(`agent_id=${agent}`)).map((b) => b.label)).toEqual(['instructions', 'persona']);
    expect(await list(`user_id=${unique('u')}`)).toEqual([]);
  });
});

describe('limits and read-only', () => {
  it('refuses writes past the limit with 400 naming the sizes, and writes nothing', async () => {
    await put(user, 'human', { value: 'abcdefgh', limit: 10 });
    const cases = [
      await put(user, 'human', { value: 'x'.repeat(11) }),
      await put(user, 'human', { limit: 5 }),
      await post(user, 'human/append', { text: 'xy' }),
      await post(user, 'human/replace', { old: 'abc', new: 'abcdef' }),
    ];
    for (const res of cases) {
      expect(res.status, JSON.stringify(res.json)).toBe(400);
      expect(res.json.error.code).toBe('INVALID_INPUT');
      expect(res.json.error.details.reason).toBe('over_limit');
    }
    expect(cases[0]!.json.error.message).toMatch(/11 characters, over its limit of 10/);
    expect(cases[2]!.json.error.details).toMatchObject({ size: 11, limit: 10 });
    expect((await get(user, 'human')).json).toMatchObject({ value: 'abcdefgh', limit: 10, version: 1 });
    expect(await history(user, 'human')).toHaveLength(1);

    const tooBig = await put(user, 'big', { value: 'y'.repeat(2001) });
    expect(tooBig.json.error.message).toMatch(/2001 characters, over its limit of 2000/);
    expect((await get(user, 'big')).status).toBe(404);
    // Characters are code points: three emoji fit a limit of 3.
    expect((await put(user, 'moji', { value: '😀😀😀', limit: 3 })).status).toBe(201);
    expect((await post(user, 'moji/append', { text: '😀' })).status).toBe(400);
  });

  it('refuses append, replace, DELETE and value changes on a read-only block with 409 until a PUT lifts it', async () => {
    await put(agent, 'rules', { value: 'Never share secrets.', read_only: true });
    const refused = [
      await post(agent, 'rules/append', { text: 'more' }),
      await post(agent, 'rules/replace', { old: 'Never', new: 'Always' }),
      await put(agent, 'rules', { value: 'changed' }),
      await put(agent, 'rules', { value: 'changed', read_only: true }),
      await del(agent, 'rules'),
    ];
    for (const res of refused) {
      expect(res.status).toBe(409);
      expect(res.json.error).toMatchObject({ code: 'CONFLICT', details: { reason: 'read_only' } });
      expect(res.json.error.message).toMatch(/read-only/);
    }
    expect((await get(agent, 'rules')).json).toMatchObject({ value: 'Never share secrets.', read_only: true, version: 1 });
    const lifted = await put(agent, 'rules', { value: 'Never share passwords.', read_only: false });
    expect(lifted.json).toMatchObject({ value: 'Never share passwords.', read_only: false, version: 2 });
  });
});

describe('caps', () => {
  it('refuses a 101st block for one holder, by PUT or by attach, with 409', async () => {
    const labels = Array.from({ length: 100 }, (_, i) => `b${i}`);
    for (let i = 0; i < labels.length; i += 25) await Promise.all(labels.slice(i, i + 25).map((l) => put(agent, l, { value: l })));
    const full = await put(agent, 'one-more', { value: 'x' });
    expect(full.status).toBe(409);
    expect(full.json.error).toMatchObject({ code: 'CONFLICT', details: { reason: 'holder_full', max: 100 } });
    await put(user, 'human', { value: 'Sam' });
    const attach = await post(user, 'human/attach', { agent_id: agent });
    expect(attach.status).toBe(409);
    expect(attach.json.error.message).toMatch(new RegExp(`Agent ${agent} already holds 100 blocks`));
    expect(await list(`agent_id=${agent}`)).toHaveLength(100);
  });
});

describe('append and replace', () => {
  it('appends on a new line, starting from an empty block', async () => {
    await put(agent, 'notes', {});
    await post(agent, 'notes/append', { text: 'likes tea' });
    const res = await post(agent, 'notes/append', { text: 'lives in Lyon' });
    expect(res.status).toBe(200);
    expect(res.json).toMatchObject({ value: 'likes tea\nlives in Lyon', version: 3 });
    expect((await post(agent, 'missing/append', { text: 'x' })).status).toBe(404);
  });

  it('replaces exactly one match: none or several is a 409 naming why', async () => {
    await put(agent, 'human', { value: 'Likes cats. Likes dogs.' });
    const none = await post(agent, 'human/replace', { old: 'birds', new: 'fish' });
    expect(none.status).toBe(409);
    expect(none.json.error).toMatchObject({ code: 'CONFLICT', details: { reason: 'no_match', matches: 0 } });
    expect(none.json.error.message).toMatch(/no match/);
    const two = await post(agent, 'human/replace', { old: 'Likes', new: 'Loves' });
    expect(two.status).toBe(409);
    expect(two.json.error).toMatchObject({ details: { reason: 'ambiguous', matches: 2 } });
    expect(two.json.error.message).toMatch(/2 matches/);
    expect((await get(agent, 'human')).json.version).toBe(1);
    const one = await post(agent, 'human/replace', { old: 'Likes dogs', new: 'Fears dogs' });
    expect(one.json).toMatchObject({ value: 'Likes cats. Fears dogs.', version: 2 });
    expect((await post(agent, 'human/replace', { old: ' Fears dogs.', new: '' })).json.value).toBe('Likes cats.');
  });

  it('loses no concurrent append and never passes the limit under contention', async () => {
    await put(agent, 'log', { limit: 2000 });
    const results = await Promise.all(Array.from({ length: 20 }, (_, i) => post(agent, 'log/append', { text: `entry-${String(i).padStart(2, '0')}` })));
    expect(results.every((r) => r.status === 200)).toBe(true);
    const lines = ((await get(agent, 'log')).json.value as string).split('\n').sort();
    expect(lines).toEqual(Array.from({ length: 20 }, (_, i) => `entry-${String(i).padStart(2, '0')}`));

    // "entry-NN" is 8 characters; with newlines 5 fit in 44 and the sixth would make 53.
    await put(agent, 'small', { limit: 44 });
    const raced = await Promise.all(Array.from({ length: 10 }, (_, i) => post(agent, 'small/append', { text: `entry-${String(i).padStart(2, '0')}` })));
    expect(raced.filter((r) => r.status === 200)).toHaveLength(5);
    expect(raced.filter((r) => r.status === 400)).toHaveLength(5);
    expect(((await get(agent, 'small')).json.value as string).length).toBe(44);
  });
});

describe('shared blocks', () => {
  it('attaches one copy to two agents: an edit through one is seen by the other and the owner at once', async () => {
    await put(user, 'human', { value: 'Name: Sam' });
    for (const a of [agent, agent2]) {
      const res = await post(user, 'human/attach', { agent_id: a });
      expect(res.status).toBe(200);
    }
    expect((await post(user, 'human/attach', { agent_id: agent })).json.version).toBe(1);
    expect((await get(user, 'human')).json.attached).toEqual([agent, agent2].sort());

    await post(agent, 'human/append', { text: 'Allergic to peanuts' });
    for (const h of [user, agent2]) expect((await get(h, 'human')).json.value).toBe('Name: Sam\nAllergic to peanuts');
    const seen = await list(`agent_id=${agent2}`);
    expect(seen).toHaveLength(1);
    expect(seen[0]).toMatchObject({ label: 'human', owner: { user_id: user } });
    // The user and the agent both see it: a context call lists it once.
    expect((await list(`user_id=${user}&agent_id=${agent}`)).map((b) => b.label)).toEqual(['human']);
    expect((await history(agent2, 'human')).map((r) => [r.event, r.by])).toEqual([
      ['CREATE', { user_id: user }],
      ['ATTACH', { user_id: user }],
      ['ATTACH', { user_id: user }],
      ['APPEND', { agent_id: agent }],
    ]);
  });

  it('refuses an attach over another block of the same label, and detaching the owner', async () => {
    await put(user, 'human', { value: 'shared' });
    await put(agent, 'human', { value: 'the agent’s own' });
    const taken = await post(user, 'human/attach', { agent_id: agent });
    expect(taken.status).toBe(409);
    expect(taken.json.error.details.reason).toBe('label_taken');
    expect((await get(agent, 'human')).json.value).toBe('the agent’s own');

    await post(agent, 'human/attach', { agent_id: agent2 });
    const owner = await post(agent2, 'human/detach', { agent_id: agent });
    expect(owner.status).toBe(409);
    expect(owner.json.error.details.reason).toBe('is_owner');
    expect((await post(agent, 'human/detach', { agent_id: agent3 })).status).toBe(404);
  });

  it('detaches one agent; an attached agent’s DELETE only detaches it; the owner’s DELETE removes it for all', async () => {
    await put(agent, 'team', { value: 'we ship on Fridays' });
    for (const a of [agent2, agent3]) await post(agent, 'team/attach', { agent_id: a });

    const detached = await post(agent, 'team/detach', { agent_id: agent2 });
    expect(detached.json.attached).toEqual([agent3]);
    expect((await get(agent2, 'team')).status).toBe(404);

    const own = await del(agent3, 'team');
    expect(own.json).toEqual({ label: 'team', detached: true, agent_id: agent3 });
    expect((await get(agent3, 'team')).status).toBe(404);
    expect((await get(agent, 'team')).json).toMatchObject({ value: 'we ship on Fridays', attached: [] });

    await post(agent, 'team/attach', { agent_id: agent2 });
    expect((await del(agent, 'team')).json).toEqual({ label: 'team', deleted: true });
    for (const h of [agent, agent2]) expect((await get(h, 'team')).status).toBe(404);
    expect(await list(`agent_id=${agent2}`)).toEqual([]);
    // Nothing is left in agent2's attachment hash, and the label is free again.
    expect(await redisCommand(['HGETALL', `eg:${tenant}:a.${agent2}:blocks`])).toEqual([]);
    expect((await put(agent2, 'team', { value: 'new' })).status).toBe(201);
  });
});

describe('history', () => {
  it('records every change with its values, version and holder, and outlives the block for its owner', async () => {
    await put(agent, 'persona', { value: 'v1' });
    await put(agent, 'persona', { value: 'v2' });
    await post(agent, 'persona/append', { text: 'v3' });
    await post(agent, 'persona/replace', { old: 'v3', new: 'v4' });
    await post(agent, 'persona/attach', { agent_id: agent2 });
    await post(agent, 'persona/detach', { agent_id: agent2 });
    await del(agent, 'persona');
    const rows = await history(agent, 'persona');
    expect(rows.map((r) => [r.event, r.version, r.value, r.previous])).toEqual([
      ['CREATE', 1, 'v1', null],
      ['UPDATE', 2, 'v2', 'v1'],
      ['APPEND', 3, 'v2\nv3', 'v2'],
      ['REPLACE', 4, 'v2\nv4', 'v2\nv3'],
      ['ATTACH', 4, null, null],
      ['DETACH', 4, null, null],
      ['DELETE', 5, null, 'v2\nv4'],
    ]);
    expect(rows[4]).toMatchObject({ agent_id: agent2, by: { agent_id: agent }, label: 'persona' });
    expect(rows.every((r) => /Z$/.test(r.at))).toBe(true);
    expect((await call('GET', `/v1/blocks/persona/history?agent_id=${agent2}`, { key })).status).toBe(404);
    expect((await call('GET', `/v1/blocks/never/history?agent_id=${agent}`, { key })).status).toBe(404);
  });
});

describe('isolation and erase', () => {
  it('never shows one tenant another tenant’s block, even under the same owner id', async () => {
    const other = await mintKey();
    await put(agent, 'persona', { value: 'tenant A' });
    await put(agent, 'persona', { value: 'tenant B' }, other.key);
    expect((await get(agent, 'persona')).json.value).toBe('tenant A');
    expect((await get(agent, 'persona', other.key)).json.value).toBe('tenant B');
    expect((await list(`agent_id=${agent}`, other.key)).map((b) => b.value)).toEqual(['tenant B']);
    await call('DELETE', `/v1/memories?agent_id=${agent}`, { key: other.key });
    expect((await get(agent, 'persona')).json.value).toBe('tenant A');
  });

  it('erasing the owner’s scope removes its blocks and history, for attached agents too', async () => {
    await put(agent, 'persona', { value: 'to be erased' });
    await put(agent2, 'persona', { value: 'agent2 stays' });
    await post(agent, 'persona/attach', { agent_id: agent3 });
    expect((await call('DELETE', `/v1/memories?agent_id=${agent}`, { key })).status).toBe(200);

    expect(await redisCommand(['KEYS', `eg:${tenant}:a.${agent}:*`])).toEqual([]);
    expect((await get(agent, 'persona')).status).toBe(404);
    expect((await get(agent3, 'persona')).status).toBe(404);
    expect(await list(`agent_id=${agent3}`)).toEqual([]);
    expect(await redisCommand(['HGETALL', `eg:${tenant}:a.${agent3}:blocks`])).toEqual([]);
    expect((await get(agent2, 'persona')).json.value).toBe('agent2 stays');
    // The owner id starts afresh: the old attachment does not come back.
    await put(agent, 'persona', { value: 'new life' });
    expect((await get(agent3, 'persona')).status).toBe(404);
  });
});

describe('bad input and auth', () => {
  it('answers malformed input with 400 INVALID_INPUT and writes nothing', async () => {
    const cases: Array<[string, string, unknown?]> = [
      ['PUT', `/v1/blocks/Persona?agent_id=${agent}`, { value: 'x' }],
      ['PUT', `/v1/blocks/${'a'.repeat(65)}?agent_id=${agent}`, { value: 'x' }],
      ['PUT', `/v1/blocks/persona`, { value: 'x' }],
      ['PUT', `/v1/blocks/persona?agent_id=${agent}&user_id=${user}`, { value: 'x' }],
      ['PUT', `/v1/blocks/persona?agent_id=bad%20id`, { value: 'x' }],
      ['PUT', `/v1/blocks/persona?agent_id=${agent}`, { value: 42 }],
      ['PUT', `/v1/blocks/persona?agent_id=${agent}`, { valeu: 'typo' }],
      ['PUT', `/v1/blocks/persona?agent_id=${agent}`, { value: 'x', limit: 0 }],
      ['PUT', `/v1/blocks/persona?agent_id=${agent}`, { value: 'x', limit: 20_001 }],
      ['PUT', `/v1/blocks/persona?agent_id=${agent}`, { value: 'x'.repeat(20_001), limit: 20_000 }],
      ['POST', `/v1/blocks/persona/append?agent_id=${agent}`, { text: '' }],
      ['POST', `/v1/blocks/persona/replace?agent_id=${agent}`, { old: '', new: 'x' }],
      ['POST', `/v1/blocks/persona/replace?agent_id=${agent}`, { old: 'x' }],
      ['POST', `/v1/blocks/persona/attach?agent_id=${agent}`, { agent_id: 'no spaces please' }],
      ['GET', `/v1/blocks`],
    ];
    for (const [method, path, body] of cases) {
      const res = await call(method, path, { key, ...(body !== undefined && { body }) });
      expect(res.status, `${method} ${path} ${JSON.stringify(res.json)}`).toBe(400);
      expect(res.json.error.code).toBe('INVALID_INPUT');
    }
    const notJson = await call('PUT', `/v1/blocks/persona?agent_id=${agent}`, { key, raw: '{"value":', headers: { 'content-type': 'application/json' } });
    expect(notJson.status).toBe(400);
    expect(await list(`agent_id=${agent}&user_id=${user}`)).toEqual([]);
  });

  it('requires an API key on every block route', async () => {
    await put(agent, 'persona', { value: 'x' });
    const routes: Array<[string, string]> = [
      ['GET', '/v1/blocks?agent_id=a'],
      ['GET', '/v1/blocks/persona?agent_id=a'],
      ['PUT', '/v1/blocks/persona?agent_id=a'],
      ['DELETE', `/v1/blocks/persona?agent_id=${agent}`],
      ['POST', '/v1/blocks/persona/append?agent_id=a'],
      ['POST', '/v1/blocks/persona/replace?agent_id=a'],
      ['POST', '/v1/blocks/persona/attach?agent_id=a'],
      ['POST', '/v1/blocks/persona/detach?agent_id=a'],
      ['GET', '/v1/blocks/persona/history?agent_id=a'],
    ];
    for (const [method, path] of routes) {
      for (const k of [undefined, 'eg_not_a_real_key']) {
        const body = method === 'GET' || method === 'DELETE' ? undefined : { value: 'y', text: 'y', old: 'x', new: 'y', agent_id: 'b' };
        const res = await call(method, path, { ...(k && { key: k }), ...(body && { body }) });
        expect(res.status, `${method} ${path}`).toBe(401);
        expect(res.json.error.code).toBe('UNAUTHORIZED');
      }
    }
    expect((await get(agent, 'persona')).json.value).toBe('x');
  });
});
