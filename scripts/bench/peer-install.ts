/**
 * Installs the peer (Mem0's TypeScript OSS Memory, mem0ai) into scripts/bench/peer/ on first use —
 * its own package.json and lockfile, node_modules gitignored, never one of Engram's dependencies.
 * better-sqlite3 (the in-memory vector store's engine) compiles from source here (no prebuilt binary
 * can be downloaded offline), ≈ 90 s once; later runs find it and skip the install.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

export const PEER_DIR = join(import.meta.dirname, 'peer');
/** Where Debian's nodejs package puts the headers node-gyp needs. */
const SYSTEM_HEADERS = '/usr/include/node/common.gypi';

const readVersion = (pkg: string): string | undefined => {
  const file = join(PEER_DIR, 'node_modules', pkg, 'package.json');
  return existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as { version?: string }).version : undefined;
};

/** True when every pinned package is at its version and better-sqlite3's native module is built. */
export function peerInstalled(): boolean {
  const wanted = (JSON.parse(readFileSync(join(PEER_DIR, 'package.json'), 'utf8')) as { dependencies: Record<string, string> }).dependencies;
  const built = existsSync(join(PEER_DIR, 'node_modules', 'better-sqlite3', 'build', 'Release', 'better_sqlite3.node'));
  return built && Object.entries(wanted).every(([name, version]) => readVersion(name) === version);
}

export function ensurePeer(say: (line: string) => void): void {
  if (peerInstalled()) return;
  const started = Date.now();
  say('installing the peer (mem0ai 3.3.1 + better-sqlite3, compiled from source) into scripts/bench/peer/ for this benchmark only — about 90 s, once…');
  const ci = existsSync(join(PEER_DIR, 'package-lock.json'));
  execFileSync('npm', [ci ? 'ci' : 'install', '--prefix', PEER_DIR, '--no-audit', '--no-fund', '--loglevel', 'error'], {
    cwd: PEER_DIR,
    stdio: ['ignore', 2, 2],
    // No prebuilt-binary download can succeed offline: go straight to the source build, against the
    // Node headers installed with Node itself (node-gyp would otherwise try to download them).
    env: { ...process.env, npm_config_build_from_source: 'true', ...(existsSync(SYSTEM_HEADERS) && !process.env.npm_config_nodedir && { npm_config_nodedir: '/usr' }) },
  });
  if (!peerInstalled()) throw new Error('the peer install finished but mem0ai or better-sqlite3 is missing in scripts/bench/peer/node_modules');
  say(`peer installed in ${Math.round((Date.now() - started) / 1000)} s`);
}
