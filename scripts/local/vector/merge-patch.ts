/** RFC 7396 JSON Merge Patch: what `update` with `metadataUpdateMode: "PATCH"` applies to metadata. */
import type { Json } from './types.js';

function isObject(v: Json | undefined): v is { [key: string]: Json } {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Returns the patched value; never mutates `target` (stored metadata may be shared with a snapshot). */
export function mergePatch(target: Json | undefined, patch: Json): Json {
  if (!isObject(patch)) return patch;
  const out: { [key: string]: Json } = isObject(target) ? { ...target } : {};
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) delete out[key];
    else out[key] = mergePatch(out[key], value);
  }
  return out;
}
