import type { MiddlewareHandler } from 'hono';
import { loadConfig } from '../../config';
import { buildDeps, type Deps } from '../../deps';
import type { AppEnv } from '../types';

/**
 * Parses env into Config and builds the services once per env object (per isolate in production).
 * A bad config throws ConfigError, which onError answers with one clear message.
 */
export function withDeps(build: (env: Record<string, unknown>) => Deps = (env) => buildDeps(loadConfig(env))): MiddlewareHandler<AppEnv> {
  const cache = new WeakMap<object, Deps>();
  return async function depsMiddleware(c, next) {
    const env = (c.env ?? {}) as Record<string, unknown>;
    let deps = cache.get(env);
    if (!deps) {
      deps = build(env);
      cache.set(env, deps);
    }
    c.set('deps', deps);
    await next();
  };
}
