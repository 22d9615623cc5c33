/**
 * Scale check of the local Vector server: 100,000 random 384-dimension vectors in one namespace,
 * then topK=10 queries through the official SDK, timed end to end (HTTP + JSON included).
 *
 *   npx tsx scripts/eval/vector-scale.ts [--count 100000] [--queries 200]
 *
 * Reports p50/p95 without a filter, with a filter matching 10% of the records, and with one matching
 * half of them. Target: p50 < 30 ms unfiltered. Vectors come from a seeded PRNG, so runs are comparable.
 */
import { Index } from '@upstash/vector';
import { startVectorRest } from '../local/vector-rest.js';
import { prng } from '../local/prng';

const DIM = 384;

function arg(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  return i === -1 ? fallback : Number(process.argv[i + 1]);
}

function randomVector(rand: () => number): number[] {
  return Array.from({ length: DIM }, () => rand() * 2 - 1);
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

async function timeQueries(index: Index, rand: () => number, queries: number, filter?: string): Promise<{ p50: number; p95: number; hits: number }> {
  const times: number[] = [];
  let hits = 0;
  for (let i = 0; i < queries; i++) {
    const vector = randomVector(rand);
    const started = performance.now();
    const result = await index.namespace('scale').query({ vector, topK: 10, ...(filter && { filter }) });
    times.push(performance.now() - started);
    hits += result.length;
  }
  times.sort((a, b) => a - b);
  return { p50: percentile(times, 50), p95: percentile(times, 95), hits: hits / queries };
}

async function main(): Promise<void> {
  const count = arg('count', 100_000);
  const queries = arg('queries', 200);
  const server = await startVectorRest({ token: 'scale', indexType: 'DENSE', dimension: DIM });
  const index = new Index({ url: server.url, token: 'scale' });
  const rand = prng(42);
  try {
    const loadStart = performance.now();
    for (let i = 0; i < count; i += 1000) {
      const batch = Array.from({ length: Math.min(1000, count - i) }, (_, j) => ({
        id: `v${i + j}`,
        vector: randomVector(rand),
        metadata: { bucket: (i + j) % 10, half: (i + j) % 2 === 0, label: `item-${(i + j) % 100}` },
      }));
      await index.namespace('scale').upsert(batch);
    }
    const loadS = (performance.now() - loadStart) / 1000;
    console.log(`loaded ${count} vectors of ${DIM} dims in ${loadS.toFixed(1)} s (${Math.round(count / loadS)}/s)`);
    await timeQueries(index, rand, 20); // warm-up: JIT and connection reuse
    const runs: [string, string | undefined][] = [
      ['no filter', undefined],
      ['filter 10% (bucket = 3)', 'bucket = 3'],
      ["filter 50% (half = true AND label GLOB 'item-*')", "half = true AND label GLOB 'item-*'"],
    ];
    for (const [name, filter] of runs) {
      const { p50, p95, hits } = await timeQueries(index, rand, queries, filter);
      console.log(`${name.padEnd(50)} p50 ${p50.toFixed(1)} ms  p95 ${p95.toFixed(1)} ms  (${queries} queries, ${hits} results each)`);
    }
    const mem = process.memoryUsage();
    console.log(`rss ${(mem.rss / 2 ** 20).toFixed(0)} MB (server and client in one process), JS heap ${(mem.heapUsed / 2 ** 20).toFixed(0)} MB`);
  } finally {
    await server.close();
  }
}

await main();
