import type { MiddlewareHandler } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { AppError } from '../../errors';
import { MAX_BODY_BYTES } from '../validate';

/**
 * Every route, whether it reads its body or not, refuses a body over MAX_BODY_BYTES (1 MiB) with 413
 * PAYLOAD_TOO_LARGE in the envelope, before auth and before anything is read or written. A declared
 * Content-Length decides at once; a body without one is counted as it streams in and cut off at the
 * limit (rawBody checks the size read as well).
 */
export function payloadLimit(maxBytes = MAX_BODY_BYTES): MiddlewareHandler {
  return bodyLimit({
    maxSize: maxBytes,
    onError: () => {
      throw new AppError('PAYLOAD_TOO_LARGE', `Request body is over the ${maxBytes}-byte limit.`);
    },
  });
}
