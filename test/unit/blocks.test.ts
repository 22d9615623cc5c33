import { describe, expect, it } from 'vitest';
import { codeToStatus } from '../../src/errors';
import { BlockHolderQuery, BlockLabel, PutBlock, ReplaceInBlock } from '../../src/http/schemas';
import { type Block, type BlockRefusal, charCount, holderOf, refusalError, toApiBlock } from '../../src/memory/block-model';

describe('charCount', () => {
  it('counts code points, so an emoji or an accented letter is one character', () => {
    expect(charCount('')).toBe(0);
    expect(charCount('héllo')).toBe(5);
    expect(charCount('😀😀')).toBe(2);
    expect('😀😀'.length).toBe(4);
  });
});

describe('holderOf', () => {
  it('takes exactly one of user_id or agent_id', () => {
    expect(holderOf({ user_id: 'u1' })).toEqual({ user_id: 'u1' });
    expect(holderOf({ agent_id: 'a1' })).toEqual({ agent_id: 'a1' });
    expect(() => holderOf({})).toThrow(/exactly one/);
    expect(() => holderOf({ user_id: 'u1', agent_id: 'a1' })).toThrow(/exactly one/);
  });
});

describe('refusalError', () => {
  const cases: Array<[BlockRefusal, number, RegExp]> = [
    [{ reason: 'not_found' }, 404, /No block 'persona' for agent_id a1/],
    [{ reason: 'read_only' }, 409, /read-only.*read_only": false/],
    [{ reason: 'over_limit', size: 2105, limit: 2000 }, 400, /2105 characters, over its limit of 2000; nothing was written/],
    [{ reason: 'no_match' }, 409, /no match/],
    [{ reason: 'ambiguous', matches: 3 }, 409, /3 matches/],
    [{ reason: 'label_taken' }, 409, /Agent a2 already has another block labelled 'persona'/],
    [{ reason: 'holder_full', max: 100 }, 409, /100 blocks/],
    [{ reason: 'shared_full', max: 100 }, 409, /100 agents/],
    [{ reason: 'is_owner' }, 409, /owns block 'persona'.*DELETE/],
    [{ reason: 'not_attached' }, 404, /not attached to agent a2/],
  ];
  it.each(cases)('%o → %i with a message naming why', (refusal, status, message) => {
    const err = refusalError('persona', { agent_id: 'a1' }, refusal, 'a2');
    expect(codeToStatus(err.code)).toBe(status);
    expect(err.message).toMatch(message);
    if (status !== 404) expect(err.details).toMatchObject({ reason: refusal.reason });
  });
});

describe('toApiBlock', () => {
  it('speaks ISO-8601 and always states read_only', () => {
    const b: Block = { label: 'human', value: 'Sam', limit: 2000, owner: { user_id: 'u1' }, attached: [], created_at: 0, updated_at: 86_400_000, version: 1 };
    expect(toApiBlock(b)).toEqual({ label: 'human', value: 'Sam', limit: 2000, read_only: false, owner: { user_id: 'u1' }, attached: [], created_at: '1970-01-01T00:00:00.000Z', updated_at: '1970-01-02T00:00:00.000Z', version: 1 });
  });
});

describe('block request schemas', () => {
  it('accepts labels of a-z 0-9 _ - up to 64 characters only', () => {
    for (const ok of ['persona', 'a', 'user_prefs-2', 'x'.repeat(64)]) expect(BlockLabel.safeParse(ok).success).toBe(true);
    for (const bad of ['', 'Persona', 'with space', 'a:b', 'x'.repeat(65), 'é']) expect(BlockLabel.safeParse(bad).success).toBe(false);
  });

  it('needs exactly one holder, refuses unknown fields, and limits values by code points', () => {
    expect(BlockHolderQuery.safeParse({ user_id: 'u1', agent_id: 'a1' }).success).toBe(false);
    expect(BlockHolderQuery.safeParse({}).success).toBe(false);
    expect(PutBlock.safeParse({ valeu: 'x' }).success).toBe(false);
    expect(PutBlock.safeParse({ value: '😀'.repeat(20_000) }).success).toBe(true);
    expect(PutBlock.safeParse({ value: 'x'.repeat(20_001) }).success).toBe(false);
    expect(PutBlock.safeParse({ description: null }).success).toBe(true);
    expect(ReplaceInBlock.safeParse({ old: 'a', new: '' }).success).toBe(true);
    expect(ReplaceInBlock.safeParse({ old: '', new: 'a' }).success).toBe(false);
  });
});
