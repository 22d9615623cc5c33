/** Shared shapes of the local Upstash Vector stand-in. */
import type { TermCounts } from '../text-model.js';

export type { TermCounts };

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
export type Metadata = { [key: string]: Json };

export type IndexType = 'DENSE' | 'SPARSE' | 'HYBRID';
export type Similarity = 'COSINE' | 'EUCLIDEAN' | 'DOT_PRODUCT';
export type QueryMode = 'DENSE' | 'SPARSE' | 'HYBRID';
export type Fusion = 'RRF' | 'DBSF';

/** How the index was "created" in the Upstash console; fixed for a server's lifetime. */
export interface IndexConfig {
  indexType: IndexType;
  similarity: Similarity;
  /** Dense dimension; unused by a SPARSE index. */
  dimension: number;
  /** Whether the index has an embedding model, i.e. whether the `*-data` endpoints work. */
  embedding: boolean;
}

export interface SparseVector {
  indices: number[];
  values: number[];
}

export interface StoredRecord {
  id: string;
  /** Insertion order (kept when a record is overwritten): the order of `range` and of score ties. */
  seq: number;
  /** Row in the dense store; -1 when the index has no dense part. */
  slot: number;
  sparse?: SparseVector;
  /**
   * Set when the record's vectors came from its `data` through the built-in model: the text's BM25 term
   * counts. They feed the namespace's statistics, and on sparse/hybrid indexes they ARE the sparse
   * vector (same arrays), weighted at query time with BM25's tf saturation and idf.
   */
  terms?: TermCounts;
  metadata?: Metadata;
  data?: string;
}

/** What an upsert (or an update, once merged) writes for one id. */
export interface RecordInput {
  id: string;
  dense?: Float32Array;
  sparse?: SparseVector;
  terms?: TermCounts;
  metadata?: Metadata;
  data?: string;
}

/** An error that becomes `{"error": message, "status": status}`; the SDK throws it as UpstashError. */
export class VectorError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
    this.name = 'VectorError';
  }
}

export const badRequest = (message: string): VectorError => new VectorError(400, message);
export const unprocessable = (message: string): VectorError => new VectorError(422, message);

export const NO_EMBEDDING_MESSAGE =
  'Embedding data for this index is not allowed. The index must be created with an embedding model to use it.';
