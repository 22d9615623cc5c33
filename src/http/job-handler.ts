/**
 * The one path every QStash callback takes (/jobs/*): verify, parse, run, map the outcome.
 *
 * - Verification reads the RAW body first (before any JSON parse) and checks the `Upstash-Signature`
 *   JWT against our own public URL for the path — current key, then next. Failure: 401, nothing runs.
 * - An empty body reads as `{}` (scheduled ticks carry none). A body the schema refuses: 489, since a
 *   retry would be refused the same way.
 * - Outcome → status: done 200 with the job's answer; retryable trouble 503 (QStash retries); given
 *   up 489 with `Upstash-NonRetryable-Error: true` — for errors that are not retryable, and for
 *   retryable ones on the last retry, after `giveUp` recorded why (tried up to twelve times; when it
 *   never lands, a 503, so the delivery shows in QStash's DLQ as failed).
 */
import type { Context, Handler } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import type { z } from 'zod';
import type { Deps } from '../deps';
import { AppError, type ErrorCode } from '../errors';
import type { JobDelivery } from '../memory/expire';
import { errorBody, errorResponse } from './envelope';
import { log } from './log';
import type { AppEnv } from './types';
import { check, rawBody } from './validate';

/** QStash's retry budget for our jobs (see QStashJobQueue): the delivery with this many retries is the last. */
const LAST_RETRY = 3;
/** Attempts at recording a give-up (see recordGiveUp), a short pause growing by 25 ms between them. */
const GIVE_UP_TRIES = 12;

export interface JobSpec<S extends z.ZodType> {
  /** The route path; the signature must name PUBLIC_BASE_URL + path. */
  path: string;
  schema: S;
  run: (deps: Deps, job: z.output<S>, delivery: JobDelivery) => Promise<unknown>;
  /** Runs once when the job is given up (no more retries), e.g. to mark an event failed. */
  giveUp?: (deps: Deps, job: z.output<S>, reason: string) => Promise<void>;
  /** Fields that identify the job in logs. */
  describe?: (job: z.output<S>) => Record<string, unknown>;
}

/** 489 + `Upstash-NonRetryable-Error: true`: QStash stops retrying (the envelope says why). */
function nonRetryable(c: Context<AppEnv>, code: ErrorCode, message: string) {
  return c.json(errorBody(code, message, c.get('requestId')), 489 as ContentfulStatusCode, { 'Upstash-NonRetryable-Error': 'true' });
}

/** The raw body when the request carries a valid QStash signature for `path`, else null. */
async function verified(c: Context<AppEnv>, path: string): Promise<string | null> {
  const body = await rawBody(c);
  const signature = c.req.header('upstash-signature') ?? '';
  const { verifier, config } = c.get('deps');
  if (!signature || !(await verifier.verify(signature, body, `${config.PUBLIC_BASE_URL}${path}`))) return null;
  return body;
}

/**
 * Tries to record a give-up a few times: it runs on the last delivery, so nothing retries it later —
 * the event it marks failed would otherwise stay queued for good. Bounded, and only on a job's last
 * delivery: at 20% upstream errors a two-call give-up (read the event, write it failed) fails all twelve
 * tries about once in 200,000.
 */
async function recordGiveUp(giveUp: () => Promise<void>): Promise<boolean> {
  for (let attempt = 0; attempt < GIVE_UP_TRIES; attempt++) {
    try {
      await giveUp();
      return true;
    } catch {
      if (attempt + 1 < GIVE_UP_TRIES) await new Promise((resolve) => setTimeout(resolve, 25 * (attempt + 1)));
    }
  }
  return false;
}

export function jobHandler<S extends z.ZodType>(spec: JobSpec<S>): Handler<AppEnv> {
  return async function job(c) {
    const body = await verified(c, spec.path);
    if (body === null) return errorResponse(c, 'UNAUTHORIZED', 'Invalid or missing Upstash-Signature.');
    let input: z.output<S>;
    try {
      input = check(spec.schema, body.trim() === '' ? {} : JSON.parse(body), 'job');
    } catch {
      return nonRetryable(c, 'INVALID_INPUT', 'Malformed job body.');
    }
    const deps = c.get('deps');
    const messageId = c.req.header('upstash-message-id');
    try {
      return c.json((await spec.run(deps, input, messageId ? { messageId } : {})) as object);
    } catch (err) {
      const appErr = err instanceof AppError ? err : new AppError('INTERNAL', err instanceof Error ? err.message : String(err), false);
      const last = Number(c.req.header('upstash-retried') ?? 0) >= LAST_RETRY;
      const fields = { path: spec.path, ...spec.describe?.(input), error: appErr.message, retryable: appErr.retryable };
      log(appErr.retryable && !last ? 'warn' : 'error', 'job failed', fields);
      if (appErr.retryable && !last) return errorResponse(c, 'UPSTREAM_UNAVAILABLE', appErr.message);
      if (spec.giveUp && !(await recordGiveUp(() => spec.giveUp!(deps, input, appErr.message)))) {
        // Nothing recorded why: a 5xx, so the delivery lands in QStash's DLQ as failed, not as handled.
        log('error', 'job give-up not recorded', fields);
        return errorResponse(c, 'UPSTREAM_UNAVAILABLE', `${appErr.message} (and recording the failure failed)`);
      }
      return nonRetryable(c, appErr.code, appErr.message);
    }
  };
}
