/**
 * Durations as QStash writes them: `Upstash-Delay`, `Upstash-Timeout`, flow-control periods and the
 * `Retry-After`-style headers of a destination's response.
 */

const UNIT_MS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/**
 * "10s", "2m", "1h", "1d10h30m", "1500ms", "6m5s" (Go style) → milliseconds. A bare number means
 * seconds, as the SDK turns numeric options into "{n}s" anyway. Returns undefined when unreadable.
 */
export function parseDuration(text: string): number | undefined {
  const s = text.trim();
  if (s === '') return undefined;
  if (/^\d+(\.\d+)?$/.test(s)) return Math.round(Number(s) * 1000);
  const re = /(\d+(?:\.\d+)?)(ms|s|m|h|d)/gy;
  let total = 0;
  let consumed = 0;
  for (let m = re.exec(s); m; m = re.exec(s)) {
    total += Number(m[1]) * (UNIT_MS[m[2] ?? ''] ?? 0);
    consumed = re.lastIndex;
  }
  return consumed === s.length ? Math.round(total) : undefined;
}

const ONE_DAY_MS = 86_400_000;

/**
 * A retry-delay override from a destination's response (`Retry-After`, `X-RateLimit-Reset[-Requests|
 * -Tokens]`): seconds, an RFC 1123 date or a Go duration, capped at one day like QStash does.
 * `wallNow` is real time, because a date in the header comes from the destination's real clock.
 */
export function retryAfterMs(headers: Record<string, string>, wallNow: number): number | undefined {
  const names = ['retry-after', 'x-ratelimit-reset', 'x-ratelimit-reset-requests', 'x-ratelimit-reset-tokens'];
  for (const name of names) {
    const value = headers[name];
    if (value === undefined) continue;
    const asDuration = parseDuration(value);
    const asDate = asDuration === undefined ? Date.parse(value) : NaN;
    const ms = asDuration ?? (Number.isNaN(asDate) ? undefined : asDate - wallNow);
    if (ms !== undefined) return Math.min(Math.max(ms, 0), ONE_DAY_MS);
  }
  return undefined;
}
