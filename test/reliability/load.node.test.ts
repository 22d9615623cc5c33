/**
 * The load test's quick mode (scripts/load) as a smoke check: the real Worker under `wrangler dev`
 * takes the mixed workload from many connections at once, first with the upstreams calm, then with
 * every local server failing 5 % of its calls. Every answer must be the route's success status or,
 * under faults, a clean 503 envelope; no 500, no socket error, no hang (10 s). Throughput and latency
 * are reported by `npm run load`, never asserted here.
 */
import { describe, expect, it } from 'vitest';
import { PLANS, runLoad } from '../../scripts/load/load';
import { ROUTES } from '../../scripts/load/workload';

describe('load (quick)', () => {
  it('answers every route under concurrent load, calm and with upstream faults, without an error', { timeout: 120_000 }, async () => {
    const report = await runLoad('quick', PLANS.quick, 'vitest load.node.test.ts', () => {});

    expect(report.calm.errors, JSON.stringify(report.calm.failure_examples)).toBe(0);
    expect(report.calm.overall.clean_503).toBe(0);
    for (const route of ROUTES) expect(report.calm.routes[route].ok, route).toBeGreaterThan(0);

    const injected = Object.values(report.faults.upstream_faults).reduce((a, b) => a + b, 0);
    expect(injected, 'the fault knob took effect').toBeGreaterThan(0);
    expect(report.faults.errors, JSON.stringify(report.faults.failure_examples)).toBe(0);
    for (const route of ROUTES) expect(report.faults.routes[route].ok + report.faults.routes[route].clean_503, route).toBeGreaterThan(0);
  });
});
