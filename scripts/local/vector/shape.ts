/**
 * Result items as Upstash prints them (UPSTASH_PROTOCOLS.md §2.5): `id` always a string; `vector`,
 * `sparseVector`, `metadata` and `data` present only when asked for AND present — never as null.
 * `vector` only on dense/hybrid indexes, `sparseVector` only on sparse/hybrid ones.
 */
import { printF32, printScore } from './floats.js';
import type { IncludeFlags } from './payload.js';
import type { Namespace } from './namespace.js';
import type { IndexConfig, Json, StoredRecord } from './types.js';

export function shapeRecord(
  config: IndexConfig,
  ns: Namespace,
  rec: StoredRecord,
  flags: IncludeFlags,
  score?: number,
): { [key: string]: Json } {
  const out: { [key: string]: Json } = { id: rec.id };
  if (score !== undefined) out.score = printScore(score);
  if (flags.includeVectors) {
    const dense = config.indexType !== 'SPARSE' ? ns.denseValues(rec) : undefined;
    if (dense) out.vector = printF32(dense);
    if (config.indexType !== 'DENSE' && rec.sparse) {
      out.sparseVector = { indices: [...rec.sparse.indices], values: printF32(rec.sparse.values) };
    }
  }
  if (flags.includeMetadata && rec.metadata !== undefined) out.metadata = rec.metadata;
  if (flags.includeData && rec.data !== undefined) out.data = rec.data;
  return out;
}
