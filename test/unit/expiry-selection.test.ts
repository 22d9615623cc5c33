import { describe, expect, it } from 'vitest';
import { selectExpired } from '../../src/memory/expire';
import type { MemoryRecord } from '../../src/memory/model';

const now = Date.parse('2026-01-01T00:00:00Z');
const mem = (id: string, o: Partial<MemoryRecord> = {}): MemoryRecord => ({
  id, text: id, kind: 'episode', user_id: 'alice', categories: [], entities: [], metadata: {},
  created_at: 0, updated_at: 0, valid_at: 0, source_ids: [], version: 1, ...o,
});

describe('selectExpired', () => {
  it('deletes what is past its expiry (inclusive), settles what is already gone, re-files what moved', () => {
    const ids = ['due', 'edge', 'gone', 'later', 'never'];
    const records = [mem('due', { expires_at: now - 1 }), mem('edge', { expires_at: now }), null, mem('later', { expires_at: now + 1 }), mem('never')];
    expect(selectExpired(ids, records, now)).toEqual({
      expired: ['due', 'edge', 'gone'],
      remove: ['due', 'edge'],
      refile: [
        { id: 'later', expires_at: now + 1 },
        { id: 'never', expires_at: null },
      ],
    });
  });

  it('treats a missing answer as a record that is gone', () => {
    expect(selectExpired(['a'], [], now)).toEqual({ expired: ['a'], remove: [], refile: [] });
  });
});
