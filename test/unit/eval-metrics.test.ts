import { describe, expect, it } from 'vitest';
import { parseKs, Scoreboard, scoreQuestion, Tally } from '../../scripts/eval/metrics';

describe('scoring one question', () => {
  it('R@k is the fraction of evidence found in the top k; Hit@k whether any is; RR from the first hit', () => {
    const s = scoreQuestion([['x'], ['a'], ['y'], ['b']], ['a', 'b'], [1, 2, 4]);
    expect(s.recall).toEqual({ 1: 0, 2: 0.5, 4: 1 });
    expect(s.hit).toEqual({ 1: 0, 2: 1, 4: 1 });
    expect(s.rr).toBe(0.5);
  });

  it('a memory counts for every message it came from, and a message found twice counts once', () => {
    expect(scoreQuestion([['a', 'b']], ['a', 'b', 'c'], [1]).recall[1]).toBeCloseTo(2 / 3);
    expect(scoreQuestion([['a'], ['a']], ['a', 'b'], [2]).recall[2]).toBe(0.5);
  });

  it('scores zero when nothing relevant (or nothing at all) comes back', () => {
    expect(scoreQuestion([['x'], ['y']], ['a'], [5])).toEqual({ recall: { 5: 0 }, hit: { 5: 0 }, rr: 0 });
    expect(scoreQuestion([], ['a'], [5])).toEqual({ recall: { 5: 0 }, hit: { 5: 0 }, rr: 0 });
  });
});

describe('aggregating', () => {
  it('reports means, R@k and Hit@k in percent and MRR in 0..1, with one key per k', () => {
    const t = new Tally([5, 10]);
    t.add({ recall: { 5: 1, 10: 1 }, hit: { 5: 1, 10: 1 }, rr: 1 });
    t.add({ recall: { 5: 0, 10: 0.5 }, hit: { 5: 0, 10: 1 }, rr: 1 / 7 });
    t.add({ recall: { 5: 0, 10: 0 }, hit: { 5: 0, 10: 0 }, rr: 0 });
    expect(t.count).toBe(3);
    expect(t.summary()).toEqual({ r_at_5: 33.33, r_at_10: 50, hit_at_5: 33.33, hit_at_10: 66.67, mrr: 0.381 });
  });

  it('an empty tally is all zeros, not NaN', () => {
    expect(new Tally([3]).summary()).toEqual({ r_at_3: 0, hit_at_3: 0, mrr: 0 });
  });

  it('keeps categories apart, sorted by number, and counts the overall', () => {
    const board = new Scoreboard([1]);
    const full = { recall: { 1: 1 }, hit: { 1: 1 }, rr: 1 };
    const none = { recall: { 1: 0 }, hit: { 1: 0 }, rr: 0 };
    board.add(10, full);
    board.add(2, none);
    board.add(2, full);
    expect(Object.keys(board.categories())).toEqual(['2', '10']);
    expect(board.categories()['2']).toEqual({ r_at_1: 50, hit_at_1: 50, mrr: 0.5, questions: 2 });
    expect(board.overall.summary().r_at_1).toBe(66.67);
  });
});

describe('--k', () => {
  it('takes a sorted, de-duplicated list of integers from 1 to 100', () => {
    expect(parseKs('10, 5,5')).toEqual([5, 10]);
    for (const bad of ['', '0', '5,x', '2.5', '101', '-1']) expect(() => parseKs(bad), bad).toThrow(/--k/);
  });
});
