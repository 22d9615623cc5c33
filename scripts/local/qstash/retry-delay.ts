/**
 * Retry timing.
 *
 * Default backoff (docs qstash/features/retry.mdx): retry number n (1 for the first retry) waits
 * min(86400, e^(2.5·n)) seconds: 12 s, 2 m 28 s, 30 m 8 s, 6 h 7 m, then 24 h.
 *
 * `Upstash-Retry-Delay` replaces it with an expression in **milliseconds** over the variable
 * `retried` (0 for the first retry), with + - * / ( ) and pow, exp, sqrt, abs, floor, ceil, round,
 * min, max. We evaluate it with a small recursive-descent parser, never `eval`.
 */

const MAX_BACKOFF_MS = 86_400_000;

const FUNCTIONS: Record<string, (...a: number[]) => number> = {
  pow: Math.pow,
  exp: Math.exp,
  sqrt: Math.sqrt,
  abs: Math.abs,
  floor: Math.floor,
  ceil: Math.ceil,
  round: Math.round,
  min: Math.min,
  max: Math.max,
};

/** Splits the expression into numbers, names and single-character operators. */
function tokenize(expr: string): string[] {
  const tokens = expr.match(/\d+(?:\.\d+)?|[A-Za-z_]\w*|[-+*/(),]|\S/g) ?? [];
  const bad = tokens.find((t) => !/^(\d|[A-Za-z_]|[-+*/(),])/.test(t));
  if (bad !== undefined) throw new Error(`unexpected character "${bad}"`);
  return tokens;
}

/** Evaluates a retry-delay expression; throws Error on any syntax problem or unknown name. */
export function evaluateRetryDelay(expr: string, retried: number): number {
  const tokens = tokenize(expr);
  let pos = 0;
  const peek = (): string | undefined => tokens[pos];
  const take = (expected?: string): string => {
    const t = tokens[pos++];
    if (t === undefined || (expected !== undefined && t !== expected)) {
      throw new Error(`expected ${expected ?? 'a value'} at token ${pos}`);
    }
    return t;
  };

  const primary = (): number => {
    const t = take();
    if (t === '(') {
      const v = sum();
      take(')');
      return v;
    }
    if (t === '-') return -primary();
    if (t === '+') return primary();
    if (/^\d/.test(t)) return Number(t);
    if (t === 'retried') return retried;
    const fn = FUNCTIONS[t];
    if (!fn) throw new Error(`unknown name "${t}"`);
    take('(');
    const args = [sum()];
    while (peek() === ',') {
      take(',');
      args.push(sum());
    }
    take(')');
    return fn(...args);
  };
  const product = (): number => {
    let v = primary();
    for (let op = peek(); op === '*' || op === '/'; op = peek()) {
      take();
      v = op === '*' ? v * primary() : v / primary();
    }
    return v;
  };
  function sum(): number {
    let v = product();
    for (let op = peek(); op === '+' || op === '-'; op = peek()) {
      take();
      v = op === '+' ? v + product() : v - product();
    }
    return v;
  }

  const value = sum();
  if (pos !== tokens.length) throw new Error(`unexpected "${tokens[pos]}"`);
  if (!Number.isFinite(value)) throw new Error('the expression is not a finite number');
  return value;
}

/**
 * The wait before the next attempt, in ms of the local clock. `retried` is the number of failed
 * attempts before the one that just failed (its `Upstash-Retried` value). `timeScale` > 1 shortens
 * every wait, so a local run can go through QStash's real schedule quickly.
 */
export function backoffMs(retried: number, opts: { expression?: string; overrideMs?: number; timeScale: number }): number {
  let ms = Math.exp(2.5 * (retried + 1)) * 1000;
  if (opts.overrideMs !== undefined) ms = opts.overrideMs;
  else if (opts.expression !== undefined) {
    try {
      ms = evaluateRetryDelay(opts.expression, retried);
    } catch {
      // Checked at publish time with retried = 0; a later value that is not finite keeps the default.
    }
  }
  return Math.round(Math.min(Math.max(ms, 0), MAX_BACKOFF_MS) / Math.max(opts.timeScale, 1e-9));
}
