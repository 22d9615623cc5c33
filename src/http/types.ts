import type { Deps } from '../deps';

/** Hono's typing of our context: the services bag, the caller's tenant and the request id. */
export interface AppEnv {
  Bindings: Record<string, unknown>;
  Variables: { deps: Deps; tenant: string; requestId: string; keyId: string };
}
