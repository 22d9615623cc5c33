/** The one error envelope, made here and nowhere else. */
import type { Context } from 'hono';
import { AppError, codeToStatus, type ErrorCode } from '../errors';
import { ConfigError } from '../config';
import { log } from './log';

export function errorBody(code: ErrorCode, message: string, requestId: string, details?: unknown) {
  return { error: { code, message, request_id: requestId, ...(details !== undefined && { details }) } };
}

export function errorResponse(c: Context, code: ErrorCode, message: string, details?: unknown, headers?: Record<string, string>) {
  const requestId = (c.get('requestId') as string | undefined) ?? '';
  return c.json(errorBody(code, message, requestId, details), codeToStatus(code), headers);
}

/** app.onError: known errors keep their code; anything else is logged and answered 500 without internals. */
export function onError(err: Error, c: Context) {
  if (err instanceof AppError) {
    if (err.code === 'UPSTREAM_UNAVAILABLE' || err.code === 'INTERNAL') log('warn', err.message, { request_id: c.get('requestId'), code: err.code });
    return errorResponse(c, err.code, err.message, err.details);
  }
  if (err instanceof ConfigError) {
    log('error', err.message, { request_id: c.get('requestId') });
    return errorResponse(c, 'INTERNAL', err.message);
  }
  log('error', 'unhandled error', { request_id: c.get('requestId'), error: err.message, stack: err.stack });
  return errorResponse(c, 'INTERNAL', 'Internal error; the request id identifies it in the logs.');
}

export function notFoundHandler(c: Context) {
  return errorResponse(c, 'NOT_FOUND', `No route for ${c.req.method} ${new URL(c.req.url).pathname}`);
}
