import { describe, expect, it } from 'vitest';
import { dayText, episodeContext } from '../../src/memory/episode-context';

describe('episode context', () => {
  it('names the speaker and the UTC day, written out', () => {
    expect(episodeContext({ name: 'Caroline', created_at: Date.UTC(2023, 4, 8, 23, 59) })).toBe('Caroline (8 May 2023):');
    expect(episodeContext({ name: '  Mary   Ann ', created_at: Date.UTC(2022, 11, 31) })).toBe('Mary Ann (31 December 2022):');
  });

  it('has the day alone without a name, the name alone without a usable day', () => {
    expect(episodeContext({ created_at: Date.UTC(2024, 1, 29) })).toBe('(29 February 2024):');
    expect(episodeContext({ name: 'Bo', created_at: 9e15 })).toBe('Bo:');
    expect(episodeContext({ created_at: 9e15 })).toBeUndefined();
    expect(dayText(Date.UTC(1999, 0, 1))).toBe('1 January 1999');
  });
});
