/**
 * The load test's figures: a run's tallies (fire.ts) summed up per route and overall — answers per
 * second, p50/p99 wall time, clean 503s and errors — the JSON report, and the table printed at the end.
 */
import type { Machine } from '../bench/report';
import { percentile, round } from '../bench/stats';
import type { CpuPerAnswer } from './cpu';
import type { Store } from './faults';
import type { Shot } from './fire';
import { ROUTES, type Route } from './workload';

export interface Figures {
  /** Answers received. */
  requests: number;
  req_per_s: number;
  p50_ms: number;
  p99_ms: number;
  ok: number;
  clean_503: number;
  /** wrangler dev's own 503 while it reloaded the Worker after a source change (workload.ts). */
  reloads: number;
  /** Answers that were neither the route's success, a clean 503 nor a reload. */
  failures: number;
}

export interface RunFigures {
  connections: number;
  seconds: number;
  overall: Figures;
  routes: Record<Route, Figures>;
  socket_errors: number;
  timeouts: number;
  /** failures + socket errors + timeouts: must be 0. */
  errors: number;
  /** Answers in each whole second of the run (the last, partial one left out). */
  per_second: number[];
  failure_statuses: Record<string, number>;
  failure_examples: string[];
}

function figures(ms: number[], t: Omit<Figures, 'requests' | 'req_per_s' | 'p50_ms' | 'p99_ms'>, seconds: number): Figures {
  return {
    requests: ms.length,
    req_per_s: round(ms.length / seconds, 1),
    p50_ms: round(percentile(ms, 50)),
    p99_ms: round(percentile(ms, 99)),
    ...t,
  };
}

export function summarize(shot: Shot): RunFigures {
  const pick = (r: Route) => ({ ok: shot.routes[r].ok, clean_503: shot.routes[r].clean_503, reloads: shot.routes[r].reloads, failures: shot.routes[r].failures });
  const routes = Object.fromEntries(ROUTES.map((r) => [r, figures(shot.routes[r].ms, pick(r), shot.seconds)])) as Record<Route, Figures>;
  const sum = (k: 'ok' | 'clean_503' | 'reloads' | 'failures') => ROUTES.reduce((n, r) => n + shot.routes[r][k], 0);
  const overall = figures(
    ROUTES.flatMap((r) => shot.routes[r].ms),
    { ok: sum('ok'), clean_503: sum('clean_503'), reloads: sum('reloads'), failures: sum('failures') },
    shot.seconds,
  );
  return {
    connections: shot.connections,
    seconds: shot.seconds,
    overall,
    routes,
    socket_errors: shot.socket_errors,
    timeouts: shot.timeouts,
    errors: overall.failures + shot.socket_errors + shot.timeouts,
    per_second: shot.per_second.slice(0, Math.floor(shot.seconds)),
    failure_statuses: shot.failure_statuses,
    failure_examples: shot.failure_examples,
  };
}

export interface LoadReport {
  /** Answers per second of the calm measured run, at the operating point's connections. */
  rate_held: number;
  connections: number;
  /** A measured run holds when it has 0 errors (clean 503s and reloads are not errors). */
  held: { calm: boolean; faults: boolean };
  calm: RunFigures & { cpu_ms_per_answer: CpuPerAnswer };
  /** With `upstream_faults`: the calls each local server answered with an injected 5xx (faults.ts). */
  faults: RunFigures & { cpu_ms_per_answer: CpuPerAnswer; upstream_faults: Record<Store, number> };
  machine: Machine;
  run: {
    mode: 'full' | 'quick';
    command: string;
    started_at: string;
    finished_at: string;
    method: string;
    mix: string;
    seconds: number;
    users: number;
    memories_per_user: number;
    fault_settings: Record<string, number>;
    /** The closed-loop steps of the rate search (rate.ts). */
    peak_req_per_s: number;
    probes: RunFigures[];
  };
}

const cell = (s: string | number, width: number) => String(s).padStart(width);
const range = (xs: number[]) => (xs.length ? `${Math.min(...xs)}–${Math.max(...xs)}` : '-');

/** The table printed at the end of a run. */
export function table(report: LoadReport): string {
  const { calm, faults, machine, run } = report;
  const lines = [
    `rate held: ${report.rate_held} req/s on ${report.connections} connections for ${run.seconds} s (${run.mode}; probe peak ${run.peak_req_per_s} req/s); ${machine.cores} cores, load ${machine.load_at_start} at start`,
  ];
  const header = `${'run'.padEnd(7)} ${'route'.padEnd(8)} ${cell('answers', 8)} ${cell('req/s', 7)} ${cell('p50 ms', 8)} ${cell('p99 ms', 8)} ${cell('503s', 5)} ${cell('errors', 6)}`;
  lines.push(header, '-'.repeat(header.length));
  for (const [name, f] of [['calm', calm], ['faults', faults]] as const) {
    const row = (route: string, x: Figures, errors: number) =>
      `${name.padEnd(7)} ${route.padEnd(8)} ${cell(x.requests, 8)} ${cell(x.req_per_s, 7)} ${cell(x.p50_ms, 8)} ${cell(x.p99_ms, 8)} ${cell(x.clean_503, 5)} ${cell(errors, 6)}`;
    lines.push(row('all', f.overall, f.errors));
    for (const r of ROUTES) lines.push(row(r, f.routes[r], f.routes[r].failures));
  }
  lines.push(
    `answers per second (min–max): calm ${range(calm.per_second)}, faults ${range(faults.per_second)}`,
    ...(['calm', 'faults'] as const).map((k) => {
      const c = report[k].cpu_ms_per_answer;
      return `CPU per answer (${k}): Worker ${c.worker_ms} ms, wrangler dev proxy ${c.dev_proxy_ms} ms, local servers + client ${c.local_servers_and_client_ms} ms; machine ${c.machine_ms} ms (${Math.round(c.other_work_share * 100)} % other work)`;
    }),
    `injected upstream faults: ${Object.entries(faults.upstream_faults).map(([s, n]) => `${s} ${n}`).join(', ')}`,
    `503s = clean UPSTREAM_UNAVAILABLE envelopes; errors = any other answer + socket errors (${calm.socket_errors}, ${faults.socket_errors}) + timeouts (${calm.timeouts}, ${faults.timeouts}); held: calm ${report.held.calm}, faults ${report.held.faults}`,
  );
  const reloads = calm.overall.reloads + faults.overall.reloads;
  if (reloads > 0) lines.push(`wrangler dev reloaded the Worker mid-request ${reloads} time(s) (a source file changed during the run): not counted as errors`);
  return lines.join('\n');
}
