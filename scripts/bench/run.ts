/**
 * `npm run bench -- [--out FILE.json] [--quick] [--delay-ms D] [--llm-ms L] [--no-readme]`
 *
 * Engram's benchmark on the local stack, one phase after another on this machine, each figure the
 * median of repeated runs: hot-path latency with and without an upstream delay D (latency.ts), Worker
 * CPU per request (cpu.ts), the deployable bundle (bundle.ts), search/context p50 at 1k/10k/100k
 * memories (scale.ts) and Mem0's OSS Memory side by side (peer.ts). Writes FILE.json (default
 * bench-results/bench.json, or bench-quick.json with --quick), an SVG chart beside it, and — unless
 * --no-readme — the README's results section (chart at docs/bench.svg).
 * --quick: fewer requests and repetitions, for checks (< 3 min once the peer is installed).
 */
import { copyFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { ROOT } from '../local/engram';
import { measureBundle } from './bundle';
import { traceCalls } from './calls';
import { renderChart } from './chart';
import { measureCpu } from './cpu';
import { measureLatency } from './latency';
import { measurePeer } from './peer';
import { buildReport, describeMachine, readmeSection, updateReadme } from './report';
import { loadScope, measureScale, scaleUser } from './scale';
import { startBenchStack, type BenchStack } from './stack';

const USAGE = 'usage: npm run bench -- [--out FILE.json] [--quick] [--delay-ms D] [--llm-ms L] [--no-readme]';

/**
 * Requests and repetitions per phase. Full: ≥ 300 requests per latency figure, ≥ 2000 per CPU figure
 * (2000 sequential hot-path requests take about a minute here); about 12 min in all.
 */
const PLANS = {
  full: {
    latency: { requests: 300, reps: 3, warmup: 20 },
    cpu: { requests: 2000, reps: 3, warmup: 50 },
    scale: { sizes: [1_000, 10_000, 100_000], requests: 100, reps: 3, warmup: 10 },
    peer: { adds: 100, searches: 100, warmup: 3 },
  },
  quick: {
    latency: { requests: 100, reps: 1, warmup: 10 },
    cpu: { requests: 500, reps: 1, warmup: 20 },
    scale: { sizes: [1_000, 10_000, 100_000], requests: 30, reps: 1, warmup: 5 },
    peer: { adds: 15, searches: 15, warmup: 1 },
  },
};

function options() {
  const { values } = parseArgs({
    options: {
      out: { type: 'string' },
      quick: { type: 'boolean', default: false },
      'delay-ms': { type: 'string', default: '20' },
      'llm-ms': { type: 'string', default: '300' },
      'no-readme': { type: 'boolean', default: false },
    },
    strict: true,
  });
  const delayMs = Number(values['delay-ms']);
  const llmMs = Number(values['llm-ms']);
  if (!(delayMs > 0)) throw new Error(`--delay-ms must be a number > 0 (it divides the waves)\n${USAGE}`);
  if (!(llmMs >= 0)) throw new Error(`--llm-ms must be a number >= 0\n${USAGE}`);
  const mode = values.quick ? ('quick' as const) : ('full' as const);
  const out = resolve(values.out ?? join(ROOT, 'bench-results', mode === 'quick' ? 'bench-quick.json' : 'bench.json'));
  return { mode, out, delayMs, llmMs, readme: !values['no-readme'] };
}

const say = (line: string) => process.stderr.write(`${line}\n`);

async function main() {
  const opts = options();
  const plan = PLANS[opts.mode];
  const started = new Date();
  const machine = describeMachine();
  say(`engram bench (${opts.mode}): D = ${opts.delayMs} ms per upstream call, L = ${opts.llmMs} ms per LLM call`);

  say('bundle: wrangler deploy --dry-run --minify…');
  const bundle = await measureBundle();
  say(`  bundle: ${bundle.gzip_bytes} bytes gzip (${bundle.minified_bytes} minified)`);

  let stack: BenchStack | undefined;
  const stop = async () => stack?.stop();
  process.once('SIGINT', () => void stop().finally(() => process.exit(130)));
  process.once('SIGTERM', () => void stop().finally(() => process.exit(143)));
  try {
    stack = await startBenchStack(say);
    const loadSeconds: Record<string, number> = {};
    for (const size of plan.scale.sizes) {
      loadSeconds[String(size)] = Number((await loadScope(stack.engram.stack.servers.vector.url, stack.tenant, scaleUser(size), size)).toFixed(1));
      say(`  loaded ${size} memories in ${loadSeconds[String(size)]} s`);
    }
    // Latency and CPU run on the 1k namespace, with a session whose buffer the ingests fill.
    const hotScope = { user: scaleUser(1_000), run: 'bench-session' };
    const calls = await traceCalls(stack, hotScope, opts.delayMs);
    for (const [route, t] of Object.entries(calls)) say(`  ${route}: ${t.example.join(', ')} — ${t.waves} wave(s)`);
    say('latency…');
    const latency = await measureLatency(stack.api, stack.setUpstreamDelay, hotScope, { delayMs: opts.delayMs, ...plan.latency }, say);
    say('cpu…');
    const cpu = await measureCpu(stack.api, stack.workerdPids, hotScope, plan.cpu, say);
    say('scale…');
    const scale = await measureScale(stack.api, plan.scale, say);
    say('peer…');
    const peer = await measurePeer(stack, { ...plan.peer, llmMs: opts.llmMs, delayMs: opts.delayMs }, say);

    const finished = new Date();
    const report = buildReport({ latency, calls, cpu, bundle, scale, peer }, machine, {
      mode: opts.mode,
      command: process.argv.length > 2 ? `npm run bench -- ${process.argv.slice(2).join(' ')}` : 'npm run bench',
      started_at: started.toISOString(),
      finished_at: finished.toISOString(),
      seconds: Math.round((finished.getTime() - started.getTime()) / 1000),
      delay_ms: opts.delayMs,
      llm_ms: opts.llmMs,
      latency: { requests: plan.latency.requests, reps: plan.latency.reps },
      cpu: { requests: plan.cpu.requests, reps: plan.cpu.reps },
      scale: {
        requests: plan.scale.requests,
        reps: plan.scale.reps,
        load: 'namespaces loaded straight into the local Vector REST server through Engram’s own Vector adapter, 1000 records per upsert (the records `infer: false` writes)',
        load_seconds: loadSeconds,
      },
      peer: { adds: plan.peer.adds, searches: plan.peer.searches, mem0: 'mem0ai 3.3.1, in-memory vector store' },
    });

    mkdirSync(dirname(opts.out), { recursive: true });
    writeFileSync(opts.out, `${JSON.stringify(report, null, 2)}\n`);
    const chart = renderChart(report);
    const chartOut = opts.out.replace(/\.json$/i, '') + '.svg';
    writeFileSync(chartOut, chart);
    say(`wrote ${relative(process.cwd(), opts.out)} and ${relative(process.cwd(), chartOut)} (${report.run.seconds} s)`);
    if (opts.readme) {
      const docsChart = join(ROOT, 'docs', 'bench.svg');
      mkdirSync(dirname(docsChart), { recursive: true });
      copyFileSync(chartOut, docsChart);
      updateReadme(join(ROOT, 'README.md'), readmeSection(report, 'docs/bench.svg'));
      say('updated the README results section (chart: docs/bench.svg)');
    }
    process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
  } finally {
    await stop();
  }
}

main().catch((err: unknown) => {
  say(err instanceof Error ? (err.stack ?? err.message) : String(err));
  process.exit(1);
});
