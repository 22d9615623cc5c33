/**
 * The in-memory keyspace: typed values under binary-safe keys, with expiry decided by the server's
 * clock (never the wall clock), so a test that advances the clock sees keys expire.
 *
 * Expiry is lazy, like Redis's passive expiry: a key past its deadline is removed the moment anything
 * looks at it, and never counted or listed.
 */
import { bin } from './args.js';
import { CommandError, ERR } from './reply.js';

export interface TypedData {
  string: Buffer;
  list: Buffer[];
  hash: Map<string, Buffer>;
  set: Set<string>;
  /** member → score; ordering is computed when a range is asked for (the data sets are small). */
  zset: Map<string, number>;
}
export type ValueType = keyof TypedData;
export type Value = { [T in ValueType]: { type: T; data: TypedData[T] } }[ValueType];

export interface Entry {
  value: Value;
  /** Epoch ms on the server clock; absent means no TTL. */
  expiresAt?: number;
}

export class Keyspace {
  private readonly entries = new Map<string, Entry>();

  constructor(readonly now: () => number) {}

  /** The live entry under a key (keys are latin1 strings, see args.ts). */
  entry(key: string): Entry | undefined {
    const e = this.entries.get(key);
    if (e?.expiresAt !== undefined && e.expiresAt <= this.now()) {
      this.entries.delete(key);
      return undefined;
    }
    return e;
  }

  /** The data under a key if it holds `type`; undefined if absent; WRONGTYPE otherwise. */
  read<T extends ValueType>(key: Buffer | string, type: T): TypedData[T] | undefined {
    const e = this.entry(typeof key === 'string' ? key : bin(key));
    if (!e) return undefined;
    if (e.value.type !== type) throw new CommandError(ERR.wrongType);
    return e.value.data as TypedData[T];
  }

  /**
   * The data under a key for a write, created empty (without a TTL) when absent. Callers that may
   * leave an aggregate empty call `dropIfEmpty` afterwards: Redis never keeps empty lists/sets/hashes.
   */
  upsert<T extends ValueType>(key: Buffer, type: T, create: () => TypedData[T]): TypedData[T] {
    const existing = this.read(key, type);
    if (existing !== undefined) return existing;
    const data = create();
    this.entries.set(bin(key), { value: { type, data } as Value });
    return data;
  }

  /** Replaces the value; the TTL is dropped unless `expiresAt` is given (as SET does). */
  put(key: Buffer | string, value: Value, expiresAt?: number): void {
    const k = typeof key === 'string' ? key : bin(key);
    this.entries.set(k, expiresAt === undefined ? { value } : { value, expiresAt });
  }

  delete(key: Buffer | string): boolean {
    const k = typeof key === 'string' ? key : bin(key);
    const live = this.entry(k) !== undefined;
    this.entries.delete(k);
    return live;
  }

  dropIfEmpty(key: Buffer): void {
    const e = this.entry(bin(key));
    if (!e || e.value.type === 'string') return;
    const size = Array.isArray(e.value.data) ? e.value.data.length : e.value.data.size;
    if (size === 0) this.entries.delete(bin(key));
  }

  /** All live keys, sorted so SCAN cursors (plain offsets) stay stable between calls. */
  keys(): string[] {
    const out: string[] = [];
    for (const k of [...this.entries.keys()]) if (this.entry(k)) out.push(k);
    return out.sort();
  }

  size(): number {
    return this.keys().length;
  }

  clear(): void {
    this.entries.clear();
  }
}
