/**
 * Mem0's own client — the `mem0ai` package's MemoryClient, unchanged — pointed at Engram with
 * `host: <origin>/mem0`, against the real Worker under wrangler dev. It proves the /mem0 routes speak
 * what that client sends and reads: the start-up ping, add (inline, queued and verbatim), getAll with
 * filters and pages, search, get, update, history, delete, users, deleteUsers, deleteAll, and its errors.
 *
 * The client runs in Node (it reaches its host with the global fetch, so it cannot call a Worker inside
 * workerd without a fetch stub); mem0ai is loaded from test/mem0, installed there by useEngram.
 */
import { pathToFileURL } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { drainQueue, http, mintKey, stack, unique, useEngram } from './helpers';

/** The part of mem0ai's surface these tests use (its own types live in test/mem0, outside tsc's reach). */
interface Mem0Client {
  ping(): Promise<void>;
  add(messages: Array<{ role: string; content: string }>, options?: Record<string, unknown>): Promise<any>;
  getAll(options?: Record<string, unknown>): Promise<any>;
  search(query: string, options?: Record<string, unknown>): Promise<any>;
  get(id: string): Promise<any>;
  update(id: string, body: Record<string, unknown>): Promise<any>;
  history(id: string): Promise<any[]>;
  delete(id: string, options?: Record<string, unknown>): Promise<any>;
  deleteAll(options?: Record<string, unknown>): Promise<any>;
  users(options?: Record<string, unknown>): Promise<any>;
  deleteUsers(params?: Record<string, unknown>): Promise<any>;
}
type ErrorClass = new (...args: any[]) => Error;
interface Mem0Module {
  MemoryClient: new (options: { apiKey: string; host: string }) => Mem0Client;
  AuthenticationError: ErrorClass;
  ValidationError: ErrorClass;
  MemoryNotFoundError: ErrorClass;
}

useEngram();
let mem0: Mem0Module;
let host = '';

beforeAll(async () => {
  // Read when the module loads: no telemetry events to Mem0's analytics host, no ~/.mem0 file.
  process.env.MEM0_TELEMETRY = 'false';
  mem0 = (await import(pathToFileURL(stack.mem0Entry).href)) as Mem0Module;
  host = `${stack.origin}/mem0`;
});

async function session() {
  const { key, tenant } = await mintKey();
  return { client: new mem0.MemoryClient({ apiKey: key, host }), key, tenant };
}

const texts = (results: Array<{ memory: string }>) => results.map((r) => r.memory).join(' | ');

describe('Mem0 MemoryClient against /mem0', () => {
  it('starts up: the ping resolves the org and project of the key', async () => {
    const { client, tenant } = await session();
    await client.ping();
    const identity = client as unknown as { organizationId: string; projectId: string };
    expect(identity.organizationId).toBe('engram');
    expect(identity.projectId).toBe(tenant);
  });

  it('runs a full session: add, getAll, search, get, update, history, delete, users, deleteAll', async () => {
    const { client } = await session();
    const user = unique('alice');

    // Inline extraction (async_mode: false): the results come back in the answer.
    const inline = await client.add([{ role: 'user', content: "I'm allergic to peanuts" }], { userId: user, asyncMode: false, metadata: { source: 'onboarding' } });
    expect(inline.status).toBe('SUCCEEDED');
    const peanut = inline.results.find((r: { event: string; memory: string }) => r.event === 'ADD' && /peanut/i.test(r.memory));
    expect(peanut?.data.memory).toBe(peanut?.memory);

    // The default is queued, as on Mem0's platform: PENDING with an event id, done once the job runs.
    const queued = await client.add([{ role: 'user', content: 'I live in Lisbon' }], { userId: user });
    expect(queued).toMatchObject({ status: 'PENDING', eventId: expect.stringMatching(/^evt_/) });
    expect((await drainQueue()).every((s) => s === 200)).toBe(true);
    const event = await http('GET', `/mem0/v1/event/${queued.eventId}/`, { authorization: `Token ${(client as unknown as { apiKey: string }).apiKey}` });
    expect(event.json.status).toBe('SUCCEEDED');
    expect(texts(event.json.results)).toMatch(/Lisbon/);

    // infer: false stores the message as it is; timestamp (epoch seconds) dates it.
    const jan15 = Date.parse('2024-01-15T10:00:00Z') / 1000;
    const verbatim = await client.add([{ role: 'user', content: 'Parking spot is 42' }], { userId: user, infer: false, timestamp: jan15 });
    expect(verbatim.results).toEqual([expect.objectContaining({ event: 'ADD', memory: 'Parking spot is 42' })]);

    const all = await client.getAll({ filters: { user_id: user } });
    expect(all.count).toBe(all.results.length);
    expect(texts(all.results)).toMatch(/peanut/i);
    expect(texts(all.results)).toMatch(/Lisbon/);
    expect(texts(all.results)).toMatch(/Parking spot is 42/);
    expect(all.results.every((m: { userId: string }) => m.userId === user)).toBe(true);
    expect(new Set(all.results.map((m: { memoryType: string }) => m.memoryType))).toContain('episode');

    // Pages: same count, disjoint slices, a next link on the first.
    const first = await client.getAll({ filters: { AND: [{ user_id: user }] }, page: 1, pageSize: 2 });
    const second = await client.getAll({ filters: { AND: [{ user_id: user }] }, page: 2, pageSize: 2 });
    expect(first.count).toBe(all.count);
    expect(first.results).toHaveLength(2);
    expect(first.next).toContain('page=2');
    expect(second.previous).toContain('page=1');
    expect(second.results.map((m: { id: string }) => m.id)).not.toContain(first.results[0].id);

    // Filters reach metadata and time: only the onboarding memories; only January 2024.
    const onboarding = await client.getAll({ filters: { user_id: user, metadata: { source: 'onboarding' } } });
    expect(onboarding.count).toBeGreaterThan(0);
    expect(onboarding.results.every((m: { metadata: Record<string, unknown> }) => m.metadata.source === 'onboarding')).toBe(true);
    // An add's timestamp is when it happened (Mem0 `timestamp`); created_at stays the time of writing.
    const january = await client.getAll({ filters: { AND: [{ user_id: user }, { timestamp: { gte: '2024-01-01' } }, { timestamp: { lte: '2024-01-31' } }] } });
    expect(january.results.map((m: { memory: string }) => m.memory)).toEqual(['Parking spot is 42']);
    const today = await client.getAll({ filters: { AND: [{ user_id: user }, { created_at: { gte: '2024-01-01' } }] } });
    expect(today.count).toBe(all.count);

    const found = await client.search('What am I allergic to?', { filters: { user_id: user }, topK: 3 });
    expect(found.results[0].memory).toMatch(/peanut/i);
    expect(typeof found.results[0].score).toBe('number');
    const scoped = await client.search('Where do I live?', { filters: { AND: [{ user_id: user }, { metadata: { source: 'onboarding' } }] } });
    expect(texts(scoped.results)).not.toMatch(/Lisbon/);

    const got = await client.get(peanut.id);
    expect(got).toMatchObject({ id: peanut.id, memory: peanut.memory, userId: user, agentId: null });

    const updated = await client.update(peanut.id, { text: 'Is allergic to peanuts and cashews' });
    expect(updated.memory).toBe('Is allergic to peanuts and cashews');
    expect((await client.get(peanut.id)).memory).toBe('Is allergic to peanuts and cashews');

    const history = await client.history(peanut.id);
    expect(history.map((h) => h.event)).toEqual(['ADD', 'UPDATE']);
    expect(history[1]).toMatchObject({ memoryId: peanut.id, oldMemory: peanut.memory, newMemory: 'Is allergic to peanuts and cashews', userId: user });

    expect(await client.delete(peanut.id)).toEqual({ message: 'Memory deleted successfully!' });
    await expect(client.get(peanut.id)).rejects.toBeInstanceOf(mem0.MemoryNotFoundError);
    expect((await client.getAll({ filters: { user_id: user } })).count).toBe(all.count - 1);

    const users = await client.users();
    expect(users.results).toEqual([expect.objectContaining({ name: user, type: 'user', totalMemories: expect.any(Number) })]);
    expect(users.results[0].totalMemories).toBeGreaterThanOrEqual(all.count - 1);
    expect(users.totalUsers).toBe(1);

    await client.deleteAll({ userId: user });
    expect((await client.getAll({ filters: { user_id: user } })).count).toBe(0);
    expect((await client.search('peanuts', { filters: { user_id: user } })).results).toEqual([]);
    expect((await client.users()).results).toEqual([]);
  });

  it('shows a superseded fact as DELETE with replaced_by, hides expired memories, deletes a lineage', async () => {
    const { client } = await session();
    const user = unique('erin');
    await client.add([{ role: 'user', content: 'I work at Google' }], { userId: user, asyncMode: false });
    const moved = await client.add([{ role: 'user', content: 'I work at Anthropic now' }], { userId: user, asyncMode: false });
    const added = moved.results.find((r: { event: string }) => r.event === 'ADD');
    const ended = moved.results.find((r: { event: string }) => r.event === 'DELETE');
    expect(added.memory).toMatch(/Anthropic/);
    expect(ended.memory).toMatch(/Google/);

    const facts = async (options: Record<string, unknown> = {}) =>
      (await client.getAll({ filters: { user_id: user }, ...options })).results.filter((m: { memoryType: string }) => m.memoryType !== 'episode');
    expect((await facts()).map((m: { id: string }) => m.id)).toEqual([added.id]);
    const history = await facts({ latestOnly: false });
    expect(history.find((m: { id: string }) => m.id === ended.id)?.replacedBy).toBe(added.id);

    // An expiration date in the past hides the memory unless show_expired asks for it.
    expect((await client.update(added.id, { expirationDate: '2020-01-01' })).expirationDate).toBe('2020-01-01');
    expect(await facts()).toEqual([]);
    expect((await facts({ showExpired: true })).map((m: { id: string }) => m.id)).toEqual([added.id]);
    await client.update(added.id, { expirationDate: null });

    // delete_linked follows `supersedes` back: the Google fact goes with the Anthropic one.
    expect(await client.delete(added.id, { deleteLinked: true })).toEqual({ message: 'Memory deleted successfully!', cascadeCount: 1 });
    expect(await facts({ latestOnly: false })).toEqual([]);
    await client.deleteAll({ userId: user });
  });

  it('deleteUsers erases the named user and leaves the others', async () => {
    const { client } = await session();
    const [bob, carol] = [unique('bob'), unique('carol')];
    await client.add([{ role: 'user', content: 'Bob note' }], { userId: bob, infer: false });
    await client.add([{ role: 'user', content: 'Carol note' }], { userId: carol, infer: false });
    expect((await client.users()).results.map((u: { name: string }) => u.name).sort()).toEqual([bob, carol].sort());

    await client.deleteUsers({ userId: bob });
    expect((await client.users()).results.map((u: { name: string }) => u.name)).toEqual([carol]);
    expect((await client.getAll({ filters: { user_id: bob } })).count).toBe(0);
    expect(texts((await client.getAll({ filters: { user_id: carol } })).results)).toBe('Carol note');
  });

  it('throws what Mem0 throws: a bad key, refused input (nothing written), another tenant', async () => {
    const { client, key } = await session();
    const user = unique('dana');

    const stranger = new mem0.MemoryClient({ apiKey: 'eg_not_a_key', host });
    await expect(stranger.ping()).rejects.toBeInstanceOf(mem0.AuthenticationError);
    await expect(stranger.add([{ role: 'user', content: 'x' }], { userId: user, infer: false })).rejects.toBeInstanceOf(mem0.AuthenticationError);
    // The scheme matters: Bearer is for /v1, Token for /mem0.
    expect((await http('GET', '/mem0/v1/ping/', { authorization: `Bearer ${key}` })).status).toBe(401);
    expect((await http('GET', '/mem0/v1/ping/', { authorization: `Token ${key}` })).status).toBe(200);

    await expect(client.add([{ role: 'user', content: 'x' }], { userId: user, appId: 'app1', infer: false })).rejects.toThrow(/app_id/);
    await expect(client.add([{ role: 'user', content: 'x' }], { userId: user, customInstructions: 'only food', infer: false })).rejects.toBeInstanceOf(mem0.ValidationError);
    await expect(client.search('x', { filters: { OR: [{ user_id: user }, { user_id: 'other' }] } })).rejects.toThrow(/exact id at the top level/);
    await expect(client.getAll({ filters: { metadata: { source: 'x' } } })).rejects.toThrow(/user_id, agent_id or run_id/);
    await expect(client.deleteAll({ userId: user, agentId: 'a1' })).rejects.toBeInstanceOf(mem0.ValidationError);
    expect((await client.getAll({ filters: { user_id: user } })).count).toBe(0);

    const mine = await client.add([{ role: 'user', content: 'Private note' }], { userId: user, infer: false });
    const other = await session();
    await expect(other.client.get(mine.results[0].id)).rejects.toBeInstanceOf(mem0.MemoryNotFoundError);
    expect((await other.client.getAll({ filters: { user_id: user } })).count).toBe(0);
    expect((await other.client.users()).results).toEqual([]);
    await client.deleteAll({ userId: user });
  });
});
