/**
 * Where the CPU went during a measured run, per answer: the Worker's workerd process, wrangler dev's
 * proxy in front of it (another workerd; not part of a deployment), this process (the local servers
 * and the load generator share it), and the whole machine. The machine has two cores shared with
 * whatever else runs on it; the gap between the machine and the stack is that other work, and it
 * explains a low rate better than any figure of Engram's.
 *
 * Workerd processes: their threads' schedstat (scripts/bench/cpu.ts cpuNs); this process:
 * process.cpuUsage(); the machine: the non-idle jiffies of /proc/stat (USER_HZ = 100).
 */
import { readFileSync } from 'node:fs';
import { cpuNs } from '../bench/cpu';
import type { BenchStack } from '../bench/stack';
import { round } from '../bench/stats';

export interface CpuPerAnswer {
  worker_ms: number;
  dev_proxy_ms: number;
  local_servers_and_client_ms: number;
  machine_ms: number;
  /** Share of the machine's busy CPU that none of the above used: other work on the machine. */
  other_work_share: number;
}

const JIFFY_MS = 10;

function machineBusyMs(): number {
  // cpu  user nice system idle iowait irq softirq steal …
  const fields = readFileSync('/proc/stat', 'utf8').split('\n')[0]!.trim().split(/\s+/).slice(1).map(Number);
  const all = fields.reduce((a, b) => a + b, 0);
  return (all - fields[3]! - (fields[4] ?? 0)) * JIFFY_MS;
}

/** Starts counting; the returned function stops and divides by the answers of the run. */
export function meterCpu(stack: BenchStack): (answers: number) => CpuPerAnswer {
  const { user, all } = stack.workerdPids();
  const proxy = all.filter((pid) => !user.includes(pid));
  const w0 = cpuNs(user);
  const p0 = cpuNs(proxy);
  const s0 = process.cpuUsage();
  const m0 = machineBusyMs();
  return (answers) => {
    const n = Math.max(1, answers);
    const worker = (cpuNs(user) - w0) / 1e6;
    const devProxy = (cpuNs(proxy) - p0) / 1e6;
    const self = process.cpuUsage(s0);
    const local = (self.user + self.system) / 1000;
    const machine = machineBusyMs() - m0;
    return {
      worker_ms: round(worker / n),
      dev_proxy_ms: round(devProxy / n),
      local_servers_and_client_ms: round(local / n),
      machine_ms: round(machine / n),
      other_work_share: machine > 0 ? round(Math.max(0, 1 - (worker + devProxy + local) / machine), 2) : 0,
    };
  };
}
