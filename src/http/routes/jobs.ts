import { Hono, type Context } from 'hono';
import { AppError, type ErrorCode } from '../../errors';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { failExtraction, runExtraction } from '../../memory/extract';
import { EXTRACT_PATH } from '../../memory/ingest';
import { errorBody, errorResponse } from '../envelope';
import { log } from '../log';
import { ExtractJobBody } from '../schemas';
import type { AppEnv } from '../types';
import { check, rawBody } from '../validate';

/** QStash's retry budget for our jobs (see QStashJobQueue.publish): the delivery with this many retries is the last. */
const LAST_RETRY = 3;

/** 489 + `Upstash-NonRetryable-Error: true`: QStash stops retrying (the envelope says why). */
function nonRetryable(c: Context<AppEnv>, code: ErrorCode, message: string) {
  return c.json(errorBody(code, message, c.get('requestId')), 489 as ContentfulStatusCode, { 'Upstash-NonRetryable-Error': 'true' });
}

/**
 * Verifies the QStash signature over the RAW body (read before any JSON parse) against our own public
 * URL for this path — current key, then next — and returns the raw body text, or null when the signature does not hold.
 */
async function verified(c: Context<AppEnv>, path: string): Promise<string | null> {
  const body = await rawBody(c);
  const signature = c.req.header('upstash-signature') ?? '';
  const { verifier, config } = c.get('deps');
  if (!signature || !(await verifier.verify(signature, body, `${config.PUBLIC_BASE_URL}${path}`))) return null;
  return body;
}

/**
 * Job outcome → status: done 200; retryable trouble 503 (QStash retries); given up 489 with
 * `Upstash-NonRetryable-Error: true` (no retry; the event records why).
 */
export const jobs = new Hono<AppEnv>().post(EXTRACT_PATH, async (c) => {
  const body = await verified(c, EXTRACT_PATH);
  if (body === null) return errorResponse(c, 'UNAUTHORIZED', 'Invalid or missing Upstash-Signature.');
  let job;
  try {
    job = check(ExtractJobBody, JSON.parse(body), 'job');
  } catch {
    return nonRetryable(c, 'INVALID_INPUT', 'Malformed job body.');
  }
  const deps = c.get('deps');
  try {
    const event = await runExtraction(deps, job);
    return c.json({ event_id: event.event_id, status: event.status });
  } catch (err) {
    const appErr = err instanceof AppError ? err : new AppError('INTERNAL', err instanceof Error ? err.message : String(err), false);
    const last = Number(c.req.header('upstash-retried') ?? 0) >= LAST_RETRY;
    log(appErr.retryable && !last ? 'warn' : 'error', 'extraction failed', { event_id: job.event_id, error: appErr.message, retryable: appErr.retryable });
    if (appErr.retryable && !last) return errorResponse(c, 'UPSTREAM_UNAVAILABLE', appErr.message);
    await failExtraction(deps, job, appErr.message).catch(() => undefined);
    return nonRetryable(c, appErr.code, appErr.message);
  }
});
