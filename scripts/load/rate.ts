/**
 * Finding the highest rate this machine sustains, kept simple:
 *
 * 1. Probe: closed-loop steps — n connections each sending its next request as soon as the last is
 *    answered — with n = 1, 2, 4, 8, 16, 32, a few seconds each. Stop at the first step with an error,
 *    or once a step adds less than 5 % throughput over the best so far (the machine is saturated: more
 *    connections only queue). The best error-free step's answers per second is the peak.
 * 2. Operating point: the fewest connections whose step reached ≥ 90 % of the peak — the knee, where
 *    the machine is near full use without a queue in front of it.
 * 3. Hold: the measured runs use that many connections, closed loop, for the whole time; the rate held
 *    is what they answered per second, and it counts as held only with 0 errors.
 *
 * Why not a fixed open-loop rate (autocannon's overallRate): autocannon gives each connection a quota
 * per second and all connections start their seconds together, so the requests arrive in one burst at
 * the top of every second; latency then measures the burst, not the service.
 */
import type { RunFigures } from './report';

export interface RatePlan {
  probeConnections: number[];
  probeSeconds: number;
  /** The share of the peak the operating point must reach. */
  knee: number;
}

export interface OperatingPoint {
  peak_req_per_s: number;
  connections: number;
  probes: RunFigures[];
}

export async function findOperatingPoint(plan: RatePlan, probe: (connections: number) => Promise<RunFigures>, say: (line: string) => void): Promise<OperatingPoint> {
  const probes: RunFigures[] = [];
  let best = 0;
  for (const connections of plan.probeConnections) {
    const f = await probe(connections);
    say(`  probe ${connections} connections: ${f.overall.req_per_s} req/s, p50 ${f.overall.p50_ms} ms, p99 ${f.overall.p99_ms} ms, errors ${f.errors}`);
    if (f.errors > 0) break;
    probes.push(f);
    const gain = best > 0 ? f.overall.req_per_s / best : Infinity;
    best = Math.max(best, f.overall.req_per_s);
    if (gain < 1.05) break;
  }
  const knee = probes.find((f) => f.overall.req_per_s >= plan.knee * best);
  if (!knee) throw new Error('no probe step answered without an error; run with --quick and read the failures in the JSON report');
  return { peak_req_per_s: best, connections: knee.connections, probes };
}
