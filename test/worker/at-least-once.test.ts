/**
 * At-least-once, the fast slice (the full set is test/reliability/at-least-once.test.ts): one
 * scenario with extraction, compaction and expiry jobs, each delivery sent 1–5 times in shuffled
 * order, some copies late after newer ingests, leaves the same state as single delivery — compared on
 * full dumps (API and raw Redis) of two users. See at-least-once-kit.ts for the timing model.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { compareRuns } from './at-least-once-kit';
import { differences } from './scope-dump';
import { shortLife } from './at-least-once-scenarios';
import { drainQueue, mintKey, scriptLlm } from './helpers';

/** Fixed, so `npm test` is repeatable; the reliability suite adds random seeds. */
const SEED = 20_261_202;

let key: string;
let tenant: string;

beforeAll(async () => {
  ({ key, tenant } = await mintKey());
  // Rule mode, and nothing left in flight by earlier files.
  await scriptLlm([]);
  await drainQueue();
});

describe('at-least-once delivery', () => {
  it(`duplicated, shuffled and late deliveries leave the state single delivery leaves (seed ${SEED})`, async () => {
    console.log(`at-least-once seed: ${SEED}`);
    const { once, dup } = await compareRuns(key, tenant, shortLife, SEED);
    console.log(`deliveries: once ${once.rec.deliveries}, duplicated ${dup.rec.deliveries} (${dup.rec.extraCopies} extra, ${dup.rec.lateCopies} late, ${dup.rec.lostAcks} lost acks)`);
    expect(dup.rec.extraCopies).toBeGreaterThan(0);
    expect(dup.rec.lateCopies).toBeGreaterThan(0);
    expect(once.rec.statuses.every((s) => s === 200)).toBe(true);
    expect(dup.rec.statuses.every((s) => s === 200)).toBe(true);
    // The scenario did what it says: every job type wrote something.
    const text = JSON.stringify(once.dump);
    expect(text).toMatch(/"event":"INVALIDATE"/);
    expect(text).toMatch(/"cause":"compaction"/);
    expect(text).toMatch(/"event":"EXPIRE"/);
    expect(dup.llmChatCalls).toBe(once.llmChatCalls);
    // Paths first: a full diff of dumps this size is slow to print and hard to read.
    expect(differences(once.dump, dup.dump)).toEqual([]);
    expect(dup.dump).toEqual(once.dump);
  });
});
