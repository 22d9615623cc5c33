/**
 * Request-body checks shared by the endpoints. A malformed field is a 400 naming it; a vector of the
 * wrong dimension is Upstash's 422 text. Vectors come out as float32 (see floats.ts).
 */
import { badRequest, unprocessable, type Metadata, type SparseVector } from './types.js';

export type Obj = Record<string, unknown>;

export function asObject(v: unknown, what = 'request body'): Obj {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) throw badRequest(`${what} must be a JSON object`);
  return v as Obj;
}

/** A body that may be one object or an array of them (upsert, query). */
export function asItems(body: unknown): { items: Obj[]; batch: boolean } {
  if (Array.isArray(body)) return { items: body.map((b, i) => asObject(b, `item ${i}`)), batch: true };
  return { items: [asObject(body)], batch: false };
}

export function optBool(o: Obj, key: string): boolean {
  const v = o[key];
  if (v === undefined || v === null) return false;
  if (typeof v !== 'boolean') throw badRequest(`${key} must be a boolean`);
  return v;
}

export function optString(o: Obj, key: string): string | undefined {
  const v = o[key];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'string') throw badRequest(`${key} must be a string`);
  return v;
}

export function optEnum<T extends string>(o: Obj, key: string, allowed: readonly T[]): T | undefined {
  const v = o[key];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'string' || !allowed.includes(v as T)) throw badRequest(`${key} must be one of ${allowed.join(', ')}`);
  return v as T;
}

export function intInRange(v: unknown, key: string, min: number, max: number): number {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < min || v > max) {
    throw badRequest(`${key} must be an integer between ${min} and ${max}`);
  }
  return v;
}

/** Ids may be sent as numbers (the SDK passes them through); the server keys everything by string. */
export function parseId(v: unknown): string {
  if (typeof v === 'string') return v;
  if (typeof v === 'number' && Number.isFinite(v)) return String(v);
  throw badRequest('id must be a string or a number');
}

export function parseIds(v: unknown): string[] {
  if (!Array.isArray(v)) return [parseId(v)];
  return v.map(parseId);
}

export function parseDense(v: unknown, dimension: number): Float32Array {
  if (!Array.isArray(v) || !v.every((x) => typeof x === 'number' && Number.isFinite(x))) {
    throw badRequest('vector must be an array of numbers');
  }
  if (v.length !== dimension) throw unprocessable(`Invalid vector dimension: ${v.length}, expected: ${dimension}`);
  return Float32Array.from(v as number[]);
}

export function parseSparse(v: unknown): SparseVector {
  const o = asObject(v, 'sparseVector');
  const { indices, values } = o;
  if (!Array.isArray(indices) || !indices.every((i) => Number.isInteger(i) && (i as number) >= 0 && (i as number) <= 0xffffffff)) {
    throw badRequest('sparseVector.indices must be an array of non-negative integers');
  }
  if (!Array.isArray(values) || !values.every((x) => typeof x === 'number' && Number.isFinite(x))) {
    throw badRequest('sparseVector.values must be an array of numbers');
  }
  if (indices.length !== values.length) {
    throw unprocessable('sparseVector.indices and sparseVector.values must have the same length');
  }
  if (new Set(indices).size !== indices.length) throw unprocessable('sparseVector.indices must not repeat');
  return { indices: indices as number[], values: (values as number[]).map(Math.fround) };
}

/** Metadata is kept as the JSON object it was sent as; null means none. */
export function parseMetadata(v: unknown): Metadata | undefined {
  if (v === undefined || v === null) return undefined;
  return asObject(v, 'metadata') as Metadata;
}

export interface IncludeFlags {
  includeVectors: boolean;
  includeMetadata: boolean;
  includeData: boolean;
}

export function parseInclude(o: Obj): IncludeFlags {
  return {
    includeVectors: optBool(o, 'includeVectors'),
    includeMetadata: optBool(o, 'includeMetadata'),
    includeData: optBool(o, 'includeData'),
  };
}
