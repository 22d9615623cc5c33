/**
 * Scenarios for the at-least-once tests (at-least-once-kit.ts): what one user does, step by step, with
 * times relative to the Worker clock's base, all within 30 s (see the kit on why). Texts are chosen for the local model's rule mode, which
 * answers from the words alone, so both runs get the same answers whatever order the calls come in.
 */
import type { Step } from './at-least-once-kit';

const iso = (ms: number) => new Date(ms).toISOString();
const say = (content: string) => [{ role: 'user', content }];

/** Short: every job type doing work — a superseded fact, a duplicate merged, an expired episode. */
export function shortLife(base: number): Step[] {
  return [
    { do: 'block', method: 'PUT', path: 'human', body: { value: 'Name: Sam' } },
    { do: 'ingest', body: { run_id: 'r1', messages: [...say('My name is Sam and I work at Google.'), { role: 'assistant', content: 'Nice to meet you, Sam.' }] } },
    { do: 'ingest', body: { run_id: 'r1', messages: say('I live in Lisbon.') } },
    { do: 'ingest', body: { run_id: 'r2', infer: false, expires_at: iso(base + 20_000), messages: say('Parked on level 3 of the garage') } },
    { do: 'deliver' },
    { do: 'tick', at_ms: 5_000 },
    { do: 'ingest', body: { run_id: 'r1', messages: say('I moved to Porto.') } },
    { do: 'ingest', body: { run_id: 'r1', messages: say('I play the cello.') } },
    { do: 'publish', path: '/jobs/compact' },
    { do: 'deliver' },
    // An edit makes a duplicate (younger than the fact it copies, so which is kept does not hang on ids).
    { do: 'tick', at_ms: 10_000 },
    { do: 'edit', text: 'Plays the cello', patch: { memory: 'Works at Google' } },
    { do: 'publish', path: '/jobs/compact' },
    { do: 'deliver' },
    { do: 'tick', at_ms: 25_000 },
    { do: 'publish', path: '/jobs/expire' },
    { do: 'deliver' },
  ];
}

/**
 * Longer: three sessions, sync and async extraction, batches that mix job types, extraction jobs left
 * queued across edits and ticks, a block edited along the way, edits, a delete and two merges.
 */
export function fullLife(base: number): Step[] {
  return [
    { do: 'block', method: 'PUT', path: 'human', body: { value: 'Name: Sam' } },
    { do: 'ingest', body: { run_id: 'r1', messages: [...say('My name is Sam and I work at Google.'), { role: 'assistant', content: 'Nice to meet you, Sam.' }] } },
    { do: 'ingest', body: { run_id: 'r1', messages: say('I live in Lisbon.') } },
    { do: 'ingest', body: { run_id: 'r2', infer: false, expires_at: iso(base + 20_000), messages: say('Parked on level 3 of the garage') } },
    { do: 'ingest', body: { run_id: 'r2', infer: false, expires_at: iso(base + 30 * 86_400_000), messages: say('Booked a table for Friday') } },
    { do: 'deliver' },
    { do: 'ingest', body: { run_id: 'r2', mode: 'sync', messages: say('I prefer green tea.') } },
    { do: 'block', method: 'POST', path: 'human/append', body: { text: 'Lives in Lisbon' } },

    { do: 'tick', at_ms: 5_000 },
    { do: 'ingest', body: { run_id: 'r1', messages: say('I moved to Porto.') } },
    { do: 'ingest', body: { run_id: 'r1', messages: say('I play the cello.') } },
    { do: 'ingest', body: { run_id: 'r2', messages: say('I speak Portuguese.') } },
    { do: 'publish', path: '/jobs/compact' },
    { do: 'deliver' },
    { do: 'block', method: 'POST', path: 'human/replace', body: { old: 'Lisbon', new: 'Porto' } },

    { do: 'tick', at_ms: 10_000 },
    { do: 'edit', text: 'Plays the cello', patch: { memory: 'Works at Google' } },
    { do: 'edit', text: 'Prefers green tea' },
    { do: 'ingest', body: { run_id: 'r1', messages: say('I have a dog named Rex.') } },
    { do: 'publish', path: '/jobs/compact' },
    { do: 'deliver' },

    { do: 'tick', at_ms: 15_000 },
    { do: 'ingest', body: { run_id: 'r2', messages: say('I drive a Tesla.') } },
    { do: 'ingest', body: { run_id: 'r3', messages: say('I am learning Japanese.') } },
    { do: 'edit', text: 'Speaks Portuguese', patch: { memory: 'Drives a Tesla' } },
    { do: 'tick', at_ms: 25_000 },
    { do: 'publish', path: '/jobs/expire' },
    { do: 'deliver' },
    { do: 'publish', path: '/jobs/compact' },
    { do: 'deliver' },

    { do: 'tick', at_ms: 30_000 },
    { do: 'ingest', body: { run_id: 'r3', messages: say('I speak Portuguese.') } },
    { do: 'publish', path: '/jobs/expire' },
    { do: 'deliver' },
  ];
}

/** A backlog longer than one extraction batch (100 turns): a follow-up job takes the rest. */
export function backlog(base: number): Step[] {
  return [
    { do: 'ingest', body: { run_id: 'r1', messages: Array.from({ length: 100 }, (_, i) => ({ role: i % 2 ? 'assistant' : 'user', content: `Note number ${i}` })) } },
    { do: 'ingest', body: { run_id: 'r1', messages: say('I live in Lisbon.') } },
    { do: 'ingest', body: { run_id: 'r2', infer: false, expires_at: iso(base + 20_000), messages: say('Parked on level 3 of the garage') } },
    { do: 'deliver' },
    { do: 'tick', at_ms: 5_000 },
    { do: 'ingest', body: { run_id: 'r1', messages: say('I moved to Porto.') } },
    { do: 'deliver' },
    { do: 'tick', at_ms: 25_000 },
    { do: 'publish', path: '/jobs/expire' },
    { do: 'deliver' },
  ];
}
