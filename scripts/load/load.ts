/**
 * The load test as one function (run.ts is its command line; the reliability suite runs it in quick
 * mode): starts the benchmark's stack — the local servers and the real Worker under `wrangler dev`, on
 * free ports, QStash in drain mode so queued extraction jobs do not compete with the measured requests
 * (scripts/bench/stack.ts) — seeds each load user's namespace with memories, warms up, finds the
 * operating point this machine sustains (rate.ts), runs it for the measured time with the upstreams
 * calm, then again with every local server failing a share of its calls (faults.ts).
 *
 * The Worker's hot path never calls the LLM (extraction runs in a QStash job, kept queued here), so the
 * LLM's fault setting has no request to act on; it is set all the same, as the fault knob is uniform.
 */
import { describeMachine } from '../bench/report';
import { loadScope } from '../bench/scale';
import { startBenchStack, type BenchStack } from '../bench/stack';
import { LOCAL_TOKENS } from '../local/stack';
import { meterCpu, type CpuPerAnswer } from './cpu';
import { CALM, clearUpstreamLogs, faultedCalls, setFaults, type FaultSettings } from './faults';
import { fire } from './fire';
import { findOperatingPoint, type RatePlan } from './rate';
import { summarize, type LoadReport, type RunFigures } from './report';
import { loadUser } from './workload';

export interface LoadPlan extends RatePlan {
  warmupSeconds: number;
  /** How long each measured run lasts, s. */
  seconds: number;
  users: number;
  memoriesPerUser: number;
  faults: FaultSettings;
  /** Seconds before an unanswered request counts as a timeout: a hang. */
  timeoutSeconds: number;
}

export const PLANS: Record<'full' | 'quick', LoadPlan> = {
  full: {
    warmupSeconds: 5,
    probeConnections: [1, 2, 4, 8, 16, 32],
    probeSeconds: 5,
    knee: 0.9,
    seconds: 60,
    users: 8,
    memoriesPerUser: 1000,
    faults: { error_rate: 0.05, seed: 9 },
    timeoutSeconds: 10,
  },
  quick: {
    warmupSeconds: 1,
    probeConnections: [2, 8],
    probeSeconds: 2,
    knee: 0.9,
    seconds: 5,
    users: 4,
    memoriesPerUser: 200,
    faults: { error_rate: 0.05, seed: 9 },
    timeoutSeconds: 10,
  },
};

/** A key limit far above anything a run sends: the rate-limit count still runs on every request. */
const LOAD_RATE_LIMIT = { requests: 1_000_000, window: '60 s' };

export const LOAD_METHOD =
  'closed-loop probe steps double the connection count until throughput grows < 5 % or an error appears; ' +
  'the measured runs use the fewest connections that reached ≥ 90 % of the peak, closed loop, and the rate held is what they answered per second; ' +
  'the fault run repeats it with every local server failing a share of its calls';

async function mintKey(stack: BenchStack): Promise<string> {
  const res = await fetch(`${stack.engram.origin}/v1/admin/tenants/${stack.tenant}/keys`, {
    method: 'POST',
    headers: { authorization: `Bearer ${LOCAL_TOKENS.admin}`, 'content-type': 'application/json' },
    body: JSON.stringify({ rate_limit: LOAD_RATE_LIMIT }),
  });
  if (res.status !== 201) throw new Error(`minting the load key: ${res.status} ${await res.text()}`);
  return ((await res.json()) as { key: string }).key;
}

export async function runLoad(mode: 'full' | 'quick', plan: LoadPlan, command: string, say: (line: string) => void, onStack?: (stack: BenchStack) => void): Promise<LoadReport> {
  const started = new Date();
  const machine = describeMachine();
  const stack = await startBenchStack(say);
  onStack?.(stack);
  try {
    const auth = `Bearer ${await mintKey(stack)}`;
    say(`seeding ${plan.users} users × ${plan.memoriesPerUser} memories…`);
    for (let u = 0; u < plan.users; u++) await loadScope(stack.engram.stack.servers.vector.url, stack.tenant, loadUser(u), plan.memoriesPerUser);

    let seed = 1;
    const shoot = async (connections: number, seconds: number): Promise<RunFigures> =>
      summarize(await fire({ origin: stack.engram.origin, auth, connections, seconds, users: plan.users, seed: seed++, timeoutSeconds: plan.timeoutSeconds }));
    const tell = (f: RunFigures) =>
      `${f.overall.req_per_s} req/s, p50 ${f.overall.p50_ms} ms, p99 ${f.overall.p99_ms} ms, clean 503s ${f.overall.clean_503}, errors ${f.errors}` +
      (f.per_second.length ? `, slowest second ${Math.min(...f.per_second)}` : '');

    say(`warm-up ${plan.warmupSeconds} s…`);
    await shoot(4, plan.warmupSeconds);
    say('finding the operating point (closed loop)…');
    const point = await findOperatingPoint(plan, (c) => shoot(c, plan.probeSeconds), say);
    say(`peak ${point.peak_req_per_s} req/s; ${point.connections} connections reach ≥ ${plan.knee * 100} % of it. ${plan.seconds} s, upstreams calm…`);
    const measured = async (): Promise<RunFigures & { cpu_ms_per_answer: CpuPerAnswer }> => {
      const stop = meterCpu(stack);
      const f = await shoot(point.connections, plan.seconds);
      return { ...f, cpu_ms_per_answer: stop(f.overall.requests) };
    };
    const calm = await measured();
    say(`  ${tell(calm)}`);

    say(`${plan.seconds} s with error_rate ${plan.faults.error_rate} on redis, vector, qstash and llm…`);
    await clearUpstreamLogs(stack);
    await setFaults(stack, plan.faults);
    let faults: Awaited<ReturnType<typeof measured>>;
    try {
      faults = await measured();
    } finally {
      await setFaults(stack, CALM);
    }
    const injected = await faultedCalls(stack);
    say(`  ${tell(faults)}`);
    say(`  upstream calls answered with an injected fault: ${Object.entries(injected).map(([s, n]) => `${s} ${n}`).join(', ')}`);

    return {
      rate_held: calm.overall.req_per_s,
      connections: point.connections,
      held: { calm: calm.errors === 0, faults: faults.errors === 0 },
      calm,
      faults: { ...faults, upstream_faults: injected },
      machine,
      run: {
        mode,
        command,
        started_at: started.toISOString(),
        finished_at: new Date().toISOString(),
        method: LOAD_METHOD,
        mix: '70 % POST /v1/context, 20 % POST /v1/memories (async ingest, 202), 10 % POST /v1/memories/search, interleaved in a fixed cycle of ten shared by all connections; each request to a random one of the seeded users',
        seconds: plan.seconds,
        users: plan.users,
        memories_per_user: plan.memoriesPerUser,
        fault_settings: { ...plan.faults },
        peak_req_per_s: point.peak_req_per_s,
        probes: point.probes,
      },
    };
  } finally {
    await stack.stop();
  }
}
