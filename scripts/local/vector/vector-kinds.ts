/**
 * Which vectors each index type takes (UPSTASH_PROTOCOLS.md §2.4): DENSE needs `vector`, SPARSE needs
 * `sparseVector`, HYBRID needs both on writes and at least one on queries. The message texts are ours
 * (§4 item 13: Upstash's are unconfirmed); the status is 422 like the dimension error.
 */
import { unprocessable, type IndexConfig } from './types.js';

export type VectorUse = 'upsert' | 'query' | 'update';

export function checkVectorKinds(config: IndexConfig, hasDense: boolean, hasSparse: boolean, use: VectorUse): void {
  const { indexType } = config;
  if (indexType === 'DENSE' && hasSparse) throw unprocessable('Sparse vectors are not allowed for a DENSE index.');
  if (indexType === 'SPARSE' && hasDense) throw unprocessable('Dense vectors are not allowed for a SPARSE index.');
  if (use === 'update') {
    if (indexType === 'HYBRID' && hasDense !== hasSparse) {
      throw unprocessable('Dense and sparse vectors of a HYBRID index must be updated together.');
    }
    return;
  }
  if (indexType === 'DENSE' && !hasDense) throw unprocessable(`A dense vector is required to ${use} on a DENSE index.`);
  if (indexType === 'SPARSE' && !hasSparse) throw unprocessable(`A sparse vector is required to ${use} on a SPARSE index.`);
  if (indexType === 'HYBRID') {
    if (use === 'upsert' && !(hasDense && hasSparse)) {
      throw unprocessable('Both a dense and a sparse vector are required to upsert on a HYBRID index.');
    }
    if (use === 'query' && !hasDense && !hasSparse) {
      throw unprocessable('A dense or a sparse vector is required to query a HYBRID index.');
    }
  }
}
