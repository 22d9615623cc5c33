import { upstream } from '../errors';

/**
 * Runs one upstream call; any failure becomes a retryable UPSTREAM_UNAVAILABLE naming the service.
 * `deadlineMs` is for SDKs that take no AbortSignal (QStash's): a call still unanswered by then fails
 * the same way, so a hung upstream costs a request one deadline, never a hang. The abandoned fetch
 * ends with the request.
 */
export async function guard<T>(service: string, call: () => Promise<T>, deadlineMs?: number): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  try {
    if (deadlineMs === undefined) return await call();
    const expired = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`no answer within ${deadlineMs} ms`)), deadlineMs);
    });
    const answer = call();
    // Abandoned past the deadline, its late failure must not surface as an unhandled rejection.
    answer.catch(() => undefined);
    return await Promise.race([answer, expired]);
  } catch (err) {
    throw upstream(service, err);
  } finally {
    clearTimeout(timer);
  }
}
