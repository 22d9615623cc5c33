/**
 * At-least-once, in full: a long scenario (at-least-once-scenarios.ts fullLife) run for several seeds,
 * and a backlog that needs a follow-up extraction batch, each comparing single delivery with every delivery sent 1–5 times — copies shuffled into the same
 * batch or arriving late after newer ingests, edits and jobs, some acks lost so QStash itself
 * redelivers — on full dumps (API and raw Redis) of two users. Seeds: a fixed one and two random
 * ones, printed; to replay a failure, put its seed in REPLAY. See ../worker/at-least-once-kit.ts for
 * the timing model.
 *
 * Size: inside workerd under vitest-pool-workers each request to the Worker costs a little more than
 * the one before (about +0.14 ms per earlier request in one file; the same app under Node does not
 * slow down), so this file keeps to about a thousand requests.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { compareRuns } from '../worker/at-least-once-kit';
import { differences } from '../worker/scope-dump';
import { backlog, fullLife } from '../worker/at-least-once-scenarios';
import { drainQueue, mintKey, scriptLlm } from '../worker/helpers';

/** Seeds to run instead of the usual ones (a printed seed replays its run exactly). */
const REPLAY: number[] = [];
const FIXED_SEED = 20_261_202;
const SEEDS = REPLAY.length > 0 ? REPLAY : [FIXED_SEED, ...Array.from({ length: 2 }, () => Math.floor(Math.random() * 2 ** 31))];

/** A pair of runs must end within the signatures' window anyway (see the kit); slow machines need it all. */
const PAIR_TIMEOUT_MS = 250_000;

let key: string;
let tenant: string;
let lostAcks = 0;

beforeAll(async () => {
  ({ key, tenant } = await mintKey());
  // Rule mode (answers from the words alone), and nothing left in flight by earlier files.
  await scriptLlm([]);
  await drainQueue();
});

describe('at-least-once delivery, every job type', () => {
  it('a follow-up batch: duplicated and late deliveries of both jobs leave the state single delivery leaves', async () => {
    const { once, dup } = await compareRuns(key, tenant, backlog, FIXED_SEED);
    console.log(`backlog: deliveries once ${once.rec.deliveries}, duplicated ${dup.rec.deliveries} (${dup.rec.extraCopies} extra, ${dup.rec.lateCopies} late, ${dup.rec.lostAcks} lost acks)`);
    lostAcks += dup.rec.lostAcks;
    expect(JSON.stringify(once.dump)).toContain('-next"');
    expect(dup.rec.statuses.filter((s) => s !== 200)).toEqual([]);
    expect(dup.llmChatCalls).toBe(once.llmChatCalls);
    expect(differences(once.dump, dup.dump)).toEqual([]);
    expect(dup.dump).toEqual(once.dump);
  }, PAIR_TIMEOUT_MS);

  it.each(SEEDS)('seed %i: duplicated, shuffled, late and re-sent deliveries leave the state single delivery leaves', async (seed) => {
    const { once, dup } = await compareRuns(key, tenant, fullLife, seed);
    console.log(`seed ${seed}: deliveries once ${once.rec.deliveries}, duplicated ${dup.rec.deliveries} (${dup.rec.extraCopies} extra, ${dup.rec.lateCopies} late, ${dup.rec.lostAcks} lost acks); model calls ${once.llmChatCalls} / ${dup.llmChatCalls}`);
    lostAcks += dup.rec.lostAcks;
    expect(dup.rec.extraCopies).toBeGreaterThan(0);
    expect(dup.rec.lateCopies).toBeGreaterThan(0);
    expect(once.rec.statuses.filter((s) => s !== 200)).toEqual([]);
    expect(dup.rec.statuses.filter((s) => s !== 200)).toEqual([]);
    const text = JSON.stringify(once.dump);
    for (const wrote of ['"event":"INVALIDATE"', '"cause":"compaction"', '"event":"EXPIRE"', '"event":"DELETE"', '"event":"UPDATE"', '"merged_into"']) expect(text).toContain(wrote);
    expect(dup.llmChatCalls).toBe(once.llmChatCalls);
    // Paths first: a full diff of dumps this size is slow to print and hard to read.
    expect(differences(once.dump, dup.dump)).toEqual([]);
    expect(dup.dump).toEqual(once.dump);
  }, PAIR_TIMEOUT_MS);

  it('lost acks happened in some run, so redelivery by QStash itself was exercised', () => {
    expect(REPLAY.length > 0 || lostAcks > 0).toBe(true);
  });
});
