/**
 * Cron expressions as QStash takes them: five fields (minute resolution), optionally prefixed with
 * `CRON_TZ=<IANA zone> `. Evaluated with cron-parser 5.x; times are epoch ms of the local clock.
 */
import { CronExpressionParser } from 'cron-parser';

function split(cron: string): { expr: string; tz?: string } {
  const m = cron.trim().match(/^CRON_TZ=(\S+)\s+(.+)$/);
  return m?.[1] !== undefined && m[2] !== undefined ? { expr: m[2], tz: m[1] } : { expr: cron.trim() };
}

/** The first tick strictly after `after`. Throws Error on an invalid expression or zone. */
export function nextTick(cron: string, after: number): number {
  const { expr, tz } = split(cron);
  const parsed = CronExpressionParser.parse(expr, tz === undefined ? { currentDate: after } : { currentDate: after, tz });
  return parsed.next().getTime();
}

/** An error message for an invalid expression, or undefined when it is fine. */
export function cronError(cron: string): string | undefined {
  try {
    nextTick(cron, Date.now());
    return undefined;
  } catch (err) {
    return err instanceof Error ? err.message : String(err);
  }
}
