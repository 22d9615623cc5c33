/**
 * Global setup of the compat project: Mem0's own client (mem0ai, pinned in test/mem0/package.json) is
 * installed into test/mem0 when missing — never into Engram's dependencies — and the real Worker runs
 * under `wrangler dev` on the local stack, its QStash in drain mode (tests deliver jobs themselves).
 *
 * The install is `npm ci` from test/mem0/package-lock.json with `--omit=peer` (mem0ai lists
 * better-sqlite3 and forty other stores as peers; its MemoryClient entry needs none of them) and
 * `--ignore-scripts` (nothing is compiled): 49 packages, about 27 MB, a few seconds.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { ROOT, startEngram } from '../../scripts/local/engram';
import { LOCAL_TOKENS } from '../../scripts/local/stack';

export const MEM0_DIR = join(ROOT, 'test', 'mem0');

const version = (file: string): string | undefined => (existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as { version?: string }).version : undefined);

function ensureMem0(): void {
  const wanted = (JSON.parse(readFileSync(join(MEM0_DIR, 'package.json'), 'utf8')) as { dependencies: Record<string, string> }).dependencies.mem0ai;
  if (version(join(MEM0_DIR, 'node_modules', 'mem0ai', 'package.json')) === wanted) return;
  execFileSync('npm', ['ci', '--prefix', MEM0_DIR, '--ignore-scripts', '--omit=peer', '--no-audit', '--no-fund'], { cwd: ROOT, stdio: 'inherit' });
}

export default async function setup(project: TestProject) {
  ensureMem0();
  const engram = await startEngram({ delivery: 'drain', varsVia: 'flags', output: 'quiet', redisUrl: process.env.REDIS_URL, extraVars: { EXTRACT_DEBOUNCE_SECONDS: '2' } });
  await engram.ready;
  project.provide('compat', { origin: engram.origin, qstash: engram.stack.servers.qstash.url, tokens: LOCAL_TOKENS, mem0Entry: join(MEM0_DIR, 'node_modules', 'mem0ai', 'dist', 'index.mjs') });
  return () => engram.stop();
}

declare module 'vitest' {
  export interface ProvidedContext {
    compat: { origin: string; qstash: string; tokens: typeof LOCAL_TOKENS; mem0Entry: string };
  }
}
