import type { MiddlewareHandler } from 'hono';
import { log } from '../log';

const SAFE_ID = /^[A-Za-z0-9._-]{1,64}$/;

/** Takes a well-formed incoming `x-request-id` or makes one; echoes it and logs one line per request. */
export function requestId(): MiddlewareHandler {
  return async function requestIdMiddleware(c, next) {
    const incoming = c.req.header('x-request-id');
    const id = incoming && SAFE_ID.test(incoming) ? incoming : `req_${crypto.randomUUID().replace(/-/g, '')}`;
    c.set('requestId', id);
    const started = Date.now();
    await next();
    c.header('x-request-id', id);
    log('info', 'request', { request_id: id, method: c.req.method, path: new URL(c.req.url).pathname, status: c.res.status, ms: Date.now() - started });
  };
}
