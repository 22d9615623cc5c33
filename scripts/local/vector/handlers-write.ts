/** Write endpoints: upsert, upsert-data, update, delete. Every item is checked before any is written. */
import type { Handler, HandlerContext } from './context.js';
import { embedDocument, requireEmbedding } from './embed.js';
import { filterPredicate } from './filter.js';
import { mergePatch } from './merge-patch.js';
import { asItems, asObject, optEnum, optString, parseDense, parseId, parseIds, parseMetadata, parseSparse, type Obj } from './payload.js';
import { badRequest, type Metadata, type RecordInput } from './types.js';
import { checkVectorKinds } from './vector-kinds.js';

const present = (o: Obj, key: string): boolean => o[key] !== undefined && o[key] !== null;

/** One upsert item → the record to write. `/upsert` stores `data` as given without embedding it. */
function upsertInput(ctx: HandlerContext, o: Obj, withData: boolean): RecordInput {
  const id = parseId(o.id);
  const metadata = parseMetadata(o.metadata);
  const data = optString(o, 'data');
  const base: RecordInput = { id, ...(metadata && { metadata }), ...(data !== undefined && { data }) };
  if (withData) {
    if (data === undefined) throw badRequest('data must be a string');
    return { ...base, ...embedDocument(ctx.config, data) };
  }
  const hasDense = present(o, 'vector');
  const hasSparse = present(o, 'sparseVector');
  checkVectorKinds(ctx.config, hasDense, hasSparse, 'upsert');
  return {
    ...base,
    ...(hasDense && { dense: parseDense(o.vector, ctx.config.dimension) }),
    ...(hasSparse && { sparse: parseSparse(o.sparseVector) }),
  };
}

const upsert =
  (withData: boolean): Handler =>
  (ctx, nsName, body) => {
    if (withData) requireEmbedding(ctx.config);
    const inputs = asItems(body).items.map((o) => upsertInput(ctx, o, withData));
    if (inputs.length === 0) return 'Success';
    const ns = ctx.store.ensure(nsName);
    for (const input of inputs) ns.put(input);
    return 'Success';
  };

export const handleUpsert = upsert(false);
export const handleUpsertData = upsert(true);

/** Metadata after an update: OVERWRITE replaces it (null clears it), PATCH merges per RFC 7396. */
function updatedMetadata(current: Metadata | undefined, sent: unknown, mode: 'OVERWRITE' | 'PATCH'): Metadata | undefined {
  const patch = parseMetadata(sent) ?? null;
  const merged = mode === 'PATCH' ? mergePatch(current, patch) : patch;
  // A non-null object patch always merges into an object.
  return merged === null ? undefined : (merged as Metadata);
}

export const handleUpdate: Handler = (ctx, nsName, body) => {
  const o = asObject(body);
  const id = parseId(o.id);
  const mode = optEnum(o, 'metadataUpdateMode', ['OVERWRITE', 'PATCH'] as const) ?? 'OVERWRITE';
  const data = optString(o, 'data');
  const hasDense = present(o, 'vector');
  const hasSparse = present(o, 'sparseVector');
  checkVectorKinds(ctx.config, hasDense, hasSparse, 'update');
  const dense = hasDense ? parseDense(o.vector, ctx.config.dimension) : undefined;
  const sparse = hasSparse ? parseSparse(o.sparseVector) : undefined;
  const ns = ctx.store.get(nsName);
  const rec = ns?.get(id);
  if (!ns || !rec) return { updated: 0 };

  const next: RecordInput = {
    id,
    // Text-derived records carry `terms` (and the sparse vector is derived from them again on put).
    ...(rec.terms ? { terms: rec.terms } : rec.sparse && { sparse: rec.sparse }),
    ...(rec.metadata !== undefined && { metadata: rec.metadata }),
    ...(rec.data !== undefined && { data: rec.data }),
  };
  const oldDense = ns.denseValues(rec);
  if (oldDense) next.dense = oldDense;
  if (data !== undefined) {
    next.data = data;
    // With a model, new text means new vectors — unless the caller sent vectors explicitly.
    if (ctx.config.embedding && !hasDense && !hasSparse) Object.assign(next, embedDocument(ctx.config, data));
  }
  // Explicit vectors replace text-derived ones, so the record stops counting as model-embedded.
  if (dense || sparse) delete next.terms;
  if (dense) next.dense = dense;
  if (sparse) next.sparse = sparse;
  if ('metadata' in o) {
    const metadata = updatedMetadata(rec.metadata, o.metadata, mode);
    if (metadata) next.metadata = metadata;
    else delete next.metadata;
  }
  ns.put(next);
  return { updated: 1 };
};

const DELETE_ONE_OF = 'Only and only one of the ids, prefix, or filter must be provided.';

export const handleDelete: Handler = (ctx, nsName, body) => {
  // The SDK always sends an object; a bare array of ids is the older documented form.
  const o = Array.isArray(body) ? { ids: body } : asObject(body);
  const given = ['ids', 'prefix', 'filter'].filter((k) => present(o, k) && o[k] !== '');
  if (given.length !== 1) throw badRequest(DELETE_ONE_OF);
  const ns = ctx.store.get(nsName);
  let ids: string[];
  if (given[0] === 'ids') ids = parseIds(o.ids);
  else if (given[0] === 'prefix') {
    const prefix = optString(o, 'prefix')!;
    ids = [...(ns?.records.keys() ?? [])].filter((id) => id.startsWith(prefix));
  } else {
    const match = filterPredicate(optString(o, 'filter'))!;
    ids = [...(ns?.records.values() ?? [])].filter((r) => match(r.metadata)).map((r) => r.id);
  }
  let deleted = 0;
  for (const id of ids) if (ns?.delete(id)) deleted++;
  return { deleted };
};
