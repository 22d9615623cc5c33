/**
 * The index: its fixed configuration and its namespaces. The default namespace "" always exists;
 * others are created by the first upsert into them (Upstash does the same) and by snapshot loading.
 */
import { Namespace } from './namespace.js';
import type { IndexConfig } from './types.js';

export const DENSE_MODEL_NAME = 'ENGRAM_LOCAL_HASHED';
export const SPARSE_MODEL_NAME = 'BM25';

export class VectorStore {
  readonly namespaces = new Map<string, Namespace>();
  private seq = 0;
  /** Bumped by every change; the snapshot writer saves only when it moved. */
  version = 0;

  constructor(readonly config: IndexConfig) {
    this.clear();
  }

  private create(name: string): Namespace {
    const ns = new Namespace(name, this.config, {
      nextSeq: () => ++this.seq,
      changed: () => void this.version++,
    });
    this.namespaces.set(name, ns);
    return ns;
  }

  get(name: string): Namespace | undefined {
    return this.namespaces.get(name);
  }

  ensure(name: string): Namespace {
    return this.namespaces.get(name) ?? this.create(name);
  }

  /** Used when loading a snapshot, so new records sort after restored ones. */
  advanceSeq(seq: number): void {
    this.seq = Math.max(this.seq, seq);
  }

  deleteNamespace(name: string): boolean {
    const ns = this.namespaces.get(name);
    if (!ns || name === '') return false;
    ns.clear();
    this.namespaces.delete(name);
    this.version++;
    return true;
  }

  /** Empties every namespace but keeps them listed (like resetting each one). */
  resetAll(): void {
    for (const ns of this.namespaces.values()) ns.clear();
    this.version++;
  }

  /** Drops everything: only an empty default namespace remains. */
  clear(): void {
    for (const ns of this.namespaces.values()) ns.clear();
    this.namespaces.clear();
    this.create('');
    this.version++;
  }

  names(): string[] {
    return [...this.namespaces.keys()].sort();
  }

  get vectorCount(): number {
    let n = 0;
    for (const ns of this.namespaces.values()) n += ns.size;
    return n;
  }

  info(): Record<string, unknown> {
    const { indexType, dimension, similarity, embedding } = this.config;
    const hasDense = indexType !== 'SPARSE';
    const hasSparse = indexType !== 'DENSE';
    const namespaces: Record<string, { vectorCount: number; pendingVectorCount: number }> = {};
    for (const name of this.names()) namespaces[name] = { vectorCount: this.namespaces.get(name)!.size, pendingVectorCount: 0 };
    return {
      vectorCount: this.vectorCount,
      // Indexing is synchronous here, so nothing is ever pending (clients poll until this is 0).
      pendingVectorCount: 0,
      // A plausible byte count: float32 rows plus a rough allowance for sparse entries and metadata.
      indexSize: this.vectorCount * ((hasDense ? dimension * 4 : 0) + 64),
      dimension: hasDense ? dimension : 0,
      similarityFunction: similarity,
      indexType,
      ...(hasDense && {
        denseIndex: { dimension, similarityFunction: similarity, ...(embedding && { embeddingModel: DENSE_MODEL_NAME }) },
      }),
      ...(hasSparse && { sparseIndex: embedding ? { embeddingModel: SPARSE_MODEL_NAME } : {} }),
      namespaces,
    };
  }

  state(): { indexType: string; dimension: number; namespaces: Record<string, number> } {
    const namespaces: Record<string, number> = {};
    for (const name of this.names()) namespaces[name] = this.namespaces.get(name)!.size;
    return { indexType: this.config.indexType, dimension: this.config.dimension, namespaces };
  }
}
