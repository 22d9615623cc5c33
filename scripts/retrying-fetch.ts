/**
 * A fetch for the typed client (`new Engram({ …, fetch: retryingFetch() })`) that rides out short
 * interruptions, for the demo and the retrieval evaluation.
 *
 * A connection error (e.g. `wrangler dev` reloading after a source change), 429 and 503 (rate limited,
 * upstream briefly unavailable) are retried up to `retries` times, after Retry-After when given, else
 * 250 ms doubling; the last answer (or error) is handed on. Safe for every call the scripts make: reads,
 * erases, and ingests whose messages carry an id or a created_at (a resent message is not added twice).
 */
import type { FetchLike } from '../src/client';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export function retryingFetch(retries = 5): FetchLike {
  return async function send(request: Request): Promise<Response> {
    for (let attempt = 0; ; attempt++) {
      let wait = 250 * 2 ** attempt;
      let res: Response;
      try {
        // A clone per attempt: sending a request consumes its body.
        res = await fetch(request.clone());
      } catch (err) {
        if (attempt >= retries) throw new Error(`${err instanceof Error ? err.message : String(err)} (${new URL(request.url).origin})`);
        await sleep(wait);
        continue;
      }
      if ((res.status !== 429 && res.status !== 503) || attempt >= retries) return res;
      await res.body?.cancel();
      const after = Number(res.headers.get('retry-after'));
      if (Number.isFinite(after) && after > 0) wait = after * 1000;
      await sleep(wait);
    }
  };
}
