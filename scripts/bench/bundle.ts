/**
 * The deployable Worker's size: `wrangler deploy --dry-run --minify` (offline, nothing is uploaded)
 * into a temporary folder, then the minified modules gzipped here (zlib level 9, as `gzip -9`).
 * Wrangler's own "Total Upload … / gzip: …" line is kept as a cross-check. Budget: < 150 KB gzip.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { gzipSync } from 'node:zlib';
import { ROOT } from '../local/engram';

const run = promisify(execFile);
const QUIET_WRANGLER = { CI: 'true', WRANGLER_SEND_METRICS: 'false', WRANGLER_HIDE_BANNER: 'true', CLOUDFLARE_CF_FETCH_ENABLED: 'false' };
const MODULE = /\.(m?js|cjs|wasm)$/;

export interface BundleResult {
  gzip_bytes: number;
  minified_bytes: number;
  /** Wrangler's own report, e.g. "Total Upload: 612.34 KiB / gzip: 140.12 KiB" (null if it printed none). */
  wrangler_says: string | null;
}

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? files(path) : [path];
  });
}

export async function measureBundle(): Promise<BundleResult> {
  const out = mkdtempSync(join(tmpdir(), 'engram-bench-bundle-'));
  try {
    const { stdout, stderr } = await run(join(ROOT, 'node_modules', '.bin', 'wrangler'), ['deploy', '--dry-run', '--outdir', out, '--minify'], {
      cwd: ROOT,
      env: { ...process.env, ...QUIET_WRANGLER },
      maxBuffer: 16 * 2 ** 20,
      timeout: 180_000,
    });
    let minified = 0;
    let gzip = 0;
    for (const file of files(out).filter((f) => MODULE.test(f))) {
      const bytes = readFileSync(file);
      minified += bytes.length;
      gzip += gzipSync(bytes, { level: 9 }).length;
    }
    if (minified === 0) throw new Error(`wrangler deploy --dry-run wrote no module to ${out}:\n${stdout}${stderr}`);
    const says = /Total Upload:[^\n]*/.exec(`${stdout}\n${stderr}`)?.[0].trim() ?? null;
    return { gzip_bytes: gzip, minified_bytes: minified, wrangler_says: says };
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
}
