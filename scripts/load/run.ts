/**
 * `npm run load -- [--quick] [--out FILE.json]`   (LOAD_SECONDS=N sets the measured time, s)
 *
 * Engram's load test on the local stack: a mixed workload — 70 % POST /v1/context, 20 % POST
 * /v1/memories (async ingest), 10 % POST /v1/memories/search — driven by autocannon against the real
 * Worker under `wrangler dev`, at the highest rate this machine sustains, for 60 s; then the same
 * with every local upstream (Redis, Vector, QStash, LLM) failing 5 % of its calls, where a clean 503
 * envelope is the expected answer and is counted apart from errors.
 *
 * How the rate is found (rate.ts): closed-loop probe steps double the connection count until
 * throughput stops growing; the measured runs use the fewest connections that reached ≥ 90 % of that
 * peak, closed loop, and the rate held is what they answered per second. A run holds with 0 errors.
 *
 * Errors: any answer other than the route's success status (200 context and search, 202 ingest) and
 * a clean 503 (UPSTREAM_UNAVAILABLE envelope with a request id), any socket error, and any request
 * unanswered within 10 s (a hang). Latency is each answer's wall time at the client. wrangler dev's
 * own 503 when a source file changes mid-run (it reloads the Worker) is counted apart, as a reload.
 *
 * Prints a table; writes FILE.json (default bench-results/load.json, or load-quick.json with --quick,
 * beside the benchmark's results). --quick: short steps and 5 s runs, for smoke checks (< 1 min).
 * The stack runs on free ports, so a running `npm start` is left alone.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import type { BenchStack } from '../bench/stack';
import { ROOT } from '../local/engram';
import { PLANS, runLoad } from './load';
import { table } from './report';

const USAGE = 'usage: npm run load -- [--quick] [--out FILE.json]   (LOAD_SECONDS=N: measured seconds per run)';

function options() {
  const { values } = parseArgs({ options: { quick: { type: 'boolean', default: false }, out: { type: 'string' } }, strict: true });
  const mode = values.quick ? ('quick' as const) : ('full' as const);
  const plan = { ...PLANS[mode] };
  if (process.env.LOAD_SECONDS !== undefined) {
    const seconds = Number(process.env.LOAD_SECONDS);
    if (!(Number.isInteger(seconds) && seconds > 0)) throw new Error(`LOAD_SECONDS must be a whole number of seconds > 0, got "${process.env.LOAD_SECONDS}"\n${USAGE}`);
    plan.seconds = seconds;
  }
  const out = resolve(values.out ?? join(ROOT, 'bench-results', mode === 'quick' ? 'load-quick.json' : 'load.json'));
  return { mode, plan, out };
}

const say = (line: string) => process.stderr.write(`${line}\n`);

function optionsOrExit(): ReturnType<typeof options> {
  try {
    return options();
  } catch (err) {
    // A bad flag or LOAD_SECONDS: the message and the usage, no stack trace.
    say(err instanceof Error ? err.message : String(err));
    if (!(err instanceof Error && err.message.includes(USAGE))) say(USAGE);
    process.exit(2);
  }
}

async function main() {
  const opts = optionsOrExit();
  say(`engram load (${opts.mode}): ${opts.plan.seconds} s per measured run`);
  let stack: BenchStack | undefined;
  const stop = async () => stack?.stop();
  process.once('SIGINT', () => void stop().finally(() => process.exit(130)));
  process.once('SIGTERM', () => void stop().finally(() => process.exit(143)));
  const command = process.argv.length > 2 ? `npm run load -- ${process.argv.slice(2).join(' ')}` : 'npm run load';
  const report = await runLoad(opts.mode, opts.plan, command, say, (s) => (stack = s));
  mkdirSync(dirname(opts.out), { recursive: true });
  writeFileSync(opts.out, `${JSON.stringify(report, null, 2)}\n`);
  say(`wrote ${relative(process.cwd(), opts.out)}`);
  process.stdout.write(`${table(report)}\n`);
}

main().catch((err: unknown) => {
  say(err instanceof Error ? (err.stack ?? err.message) : String(err));
  process.exit(1);
});
