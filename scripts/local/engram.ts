/**
 * The local stack plus the real Worker under `wrangler dev`, as one handle: used by `npm start` and by
 * the retrieval evaluation (scripts/eval/run.ts).
 *
 * Starts the four local servers, hands the Worker their variables (written to .dev.vars, or passed as
 * `--var` flags so a running `npm start` keeps its file) and spawns wrangler in its own process group.
 * The handle comes back at once, so the caller can install its signal handlers before it awaits
 * `ready` (the /health answer; on failure the stack is stopped and the error carries wrangler's last
 * output). `stop()` ends the whole group — a plain kill of the wrangler process would leave
 * workerd holding the port — and closes the servers. Idempotent.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { startLocalStack, type LocalStackOptions } from './stack';

export const ROOT = join(import.meta.dirname, '..', '..');

/** Keeps wrangler off the network: no metrics, no request.cf lookup, no update check. */
const QUIET_WRANGLER = { CI: 'true', WRANGLER_SEND_METRICS: 'false', WRANGLER_HIDE_BANNER: 'true', CLOUDFLARE_CF_FETCH_ENABLED: 'false' };

export interface EngramOptions extends Omit<LocalStackOptions, 'publicBaseUrl'> {
  /** The Worker's port; 0 or unset picks a free one. */
  workerPort?: number;
  /** 'dev-vars' (npm start) writes .dev.vars; 'flags' passes every variable as `--var`. */
  varsVia: 'dev-vars' | 'flags';
  /** Variables on top of the stack's (e.g. EXTRACT_DEBOUNCE_SECONDS); override wrangler.toml [vars]. */
  extraVars?: Record<string, string>;
  /**
   * 'inherit' shows wrangler's output; 'stderr' shows all of it on stderr (stdout stays for a report);
   * 'quiet' keeps the last lines and shows them only if the Worker fails to start.
   */
  output: 'inherit' | 'stderr' | 'quiet';
  /** How long to wait for /health, ms (default 60 s). */
  healthTimeoutMs?: number;
}

export type LocalEngram = Awaited<ReturnType<typeof startEngram>>;

/** A port that was free a moment ago (the OS picks it; we release it for wrangler to bind). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

export async function waitForHealth(origin: string, deadlineMs: number, gone?: () => string | undefined): Promise<unknown> {
  const until = Date.now() + deadlineMs;
  let last: unknown = 'no answer';
  while (Date.now() < until) {
    const exited = gone?.();
    if (exited) throw new Error(`wrangler exited before the Worker became healthy (${exited})`);
    try {
      const res = await fetch(`${origin}/health`);
      last = await res.json();
      if (res.ok) return last;
    } catch (err) {
      last = err instanceof Error ? err.message : String(err);
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`the Worker did not become healthy: ${JSON.stringify(last)}`);
}

function spawnWrangler(port: number, vars: Record<string, string> | undefined, output: EngramOptions['output']): { child: ChildProcess; log: string[] } {
  const log: string[] = [];
  const args = ['dev', '--ip', '127.0.0.1', '--port', String(port), '--log-level', 'warn'];
  for (const [k, v] of Object.entries(vars ?? {})) args.push('--var', `${k}:${v}`);
  // Its own process group (detached), so stopping reaches wrangler's workerd children too.
  const child = spawn(join(ROOT, 'node_modules', '.bin', 'wrangler'), args, {
    cwd: ROOT,
    env: { ...process.env, ...QUIET_WRANGLER },
    stdio: output === 'inherit' ? ['ignore', 'inherit', 'inherit'] : output === 'stderr' ? ['ignore', 2, 2] : ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  const keep = (chunk: Buffer) => {
    log.push(chunk.toString());
    if (log.length > 200) log.shift();
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  return { child, log };
}

export async function startEngram(opts: EngramOptions) {
  const workerPort = opts.workerPort || (await freePort());
  const origin = `http://127.0.0.1:${workerPort}`;
  const { workerPort: _p, varsVia, extraVars, output, healthTimeoutMs, ...stackOpts } = opts;
  const stack = await startLocalStack({ ...stackOpts, publicBaseUrl: origin });
  const vars: typeof stack.vars & Record<string, string> = { ...stack.vars, ...extraVars };
  if (varsVia === 'dev-vars') {
    writeFileSync(join(ROOT, '.dev.vars'), Object.entries(vars).map(([k, v]) => `${k}=${v}`).join('\n') + '\n');
  }
  const { child, log } = spawnWrangler(workerPort, varsVia === 'flags' ? vars : undefined, output);
  let exit: string | undefined;
  child.on('exit', (code, signal) => (exit = `code ${code ?? '-'}, signal ${signal ?? '-'}`));

  let stopped: Promise<void> | undefined;
  const stop = () =>
    (stopped ??= (async () => {
      try {
        if (child.pid) process.kill(-child.pid, 'SIGTERM');
      } catch {
        // the whole group is already gone
      }
      await stack.close();
    })());

  const ready = waitForHealth(origin, healthTimeoutMs ?? 60_000, () => exit).catch(async (err: unknown) => {
    await stop();
    const tail = log.join('').trim().split('\n').slice(-20).join('\n');
    throw new Error(`${err instanceof Error ? err.message : String(err)}${tail ? `\nwrangler output:\n${tail}` : ''}`);
  });
  return { origin, stack, vars, wrangler: child, stop, ready };
}
