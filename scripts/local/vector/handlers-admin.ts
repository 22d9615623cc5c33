/** Index and namespace endpoints: info, reset, list-namespaces, delete-namespace. */
import type { Handler } from './context.js';
import { VectorError } from './types.js';

/** Upstash's 404 text names the index; ours is always called "local". */
const INDEX_NAME = 'local';

export const handleInfo: Handler = (ctx) => ctx.store.info();

/** `/reset` empties the default namespace, `/reset/{ns}` that one, `/reset?all` every one (§2.4). */
export const handleReset: Handler = (ctx, ns, _body, query) => {
  if (query.has('all')) ctx.store.resetAll();
  else ctx.store.get(ns)?.clear();
  return 'Success';
};

export const handleListNamespaces: Handler = (ctx) => ctx.store.names();

export const handleDeleteNamespace: Handler = (ctx, ns) => {
  if (ns === '') throw new VectorError(400, 'The default namespace cannot be deleted.');
  if (!ctx.store.deleteNamespace(ns)) {
    throw new VectorError(404, `Namespace ${ns} for the index ${INDEX_NAME} does not exist`);
  }
  return 'Success';
};
