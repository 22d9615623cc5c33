/**
 * Sorted-set ordering and range selection shared by the ZRANGE family, ZCOUNT and ZREMRANGEBY*:
 * entries sorted by score then member bytes, score bounds with "(" exclusivity and ±inf, rank
 * windows with negative indexes.
 */
import { formatDouble, parseFloatArg, unbin } from './args.js';
import { clampRange } from './lists.js';
import { bulk, CommandError, type Reply } from './reply.js';

export type ZEntry = [member: string, score: number];

export function sortedEntries(z: Map<string, number> | undefined): ZEntry[] {
  if (!z) return [];
  return [...z].sort(([ma, sa], [mb, sb]) => (sa !== sb ? sa - sb : ma < mb ? -1 : ma > mb ? 1 : 0));
}

export interface ScoreBound {
  value: number;
  exclusive: boolean;
}

export function parseBound(raw: Buffer): ScoreBound {
  const exclusive = raw[0] === 0x28; // "("
  const value = parseFloatArg(exclusive ? raw.subarray(1) : raw, 'ERR min or max is not a float');
  return { value, exclusive };
}

export function inScoreRange(score: number, min: ScoreBound, max: ScoreBound): boolean {
  const aboveMin = min.exclusive ? score > min.value : score >= min.value;
  const belowMax = max.exclusive ? score < max.value : score <= max.value;
  return aboveMin && belowMax;
}

export function byScore(entries: ZEntry[], min: ScoreBound, max: ScoreBound): ZEntry[] {
  return entries.filter(([, s]) => inScoreRange(s, min, max));
}

export function byRank(entries: ZEntry[], start: number, stop: number): ZEntry[] {
  const [s, e] = clampRange(start, stop, entries.length);
  return s > e ? [] : entries.slice(s, e + 1);
}

/** LIMIT offset count: a negative count means "all the rest", as in Redis. */
export function applyLimit(entries: ZEntry[], offset: number, count: number): ZEntry[] {
  if (offset < 0) return [];
  return entries.slice(offset, count < 0 ? undefined : offset + count);
}

/** Members, or flat member/score pairs with WITHSCORES; scores are bulk strings (RESP2 doubles). */
export function entriesReply(entries: ZEntry[], withScores: boolean): Reply {
  const items: Reply[] = [];
  for (const [m, s] of entries) {
    items.push(bulk(unbin(m)));
    if (withScores) items.push(bulk(formatDouble(s)));
  }
  return { kind: 'array', items };
}

export function scoreReply(score: number | undefined): Reply {
  return score === undefined ? { kind: 'nil' } : bulk(formatDouble(score));
}

export function requireNotNaN(score: number): number {
  if (Number.isNaN(score)) throw new CommandError('ERR resulting score is not a number (NaN)');
  return score;
}
