/**
 * Side by side, in the same run and on the same local servers: Mem0's TypeScript OSS Memory (mem0ai,
 * scripts/bench/peer/) against Engram. Both see the same per-call LLM latency L on chat and the same
 * delay D on embedding calls (the local LLM server); Engram's Upstash stand-ins add D per call too.
 * Mem0's in-memory vector store is in its own process, so its store calls cost no network delay.
 *
 *   add:    Mem0 `add` returns after its extraction (embed, one chat call with json_object, embed the
 *           new memories and their entities, store); Engram's `POST /v1/memories` answers 202 once the
 *           turns are buffered and the extraction job is queued — the LLM runs later, in the background.
 *           So this compares "time until add returns", as an agent waiting on it sees it.
 *   search: both over the same sentences (Engram's copy written as memories with `infer: false` first,
 *           so neither searches an empty store).
 * The local LLM answers Mem0's json_object call from a script, one `{"memory": [{id, text}]}` per add.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LOCAL_TOKENS } from '../local/stack';
import { ensurePeer, PEER_DIR } from './peer-install';
import type { BenchStack } from './stack';
import { percentile, round } from './stats';
import { bodies, prng, query, sentence } from './workload';

export interface PeerOptions {
  adds: number;
  searches: number;
  warmup: number;
  llmMs: number;
  delayMs: number;
}

export interface PeerResult {
  mem0_add_p50_ms: number;
  mem0_add_p95_ms: number;
  mem0_search_p50_ms: number;
  mem0_search_p95_ms: number;
  engram_ingest_p50_ms: number;
  engram_ingest_p95_ms: number;
  engram_search_p50_ms: number;
  engram_search_p95_ms: number;
  add_speedup: number;
  search_speedup: number;
  mem0_stored: number;
}

interface Mem0Times {
  add_ms: number[];
  search_ms: number[];
  stored: number;
  hits: number;
}

function runMem0(config: unknown): Promise<Mem0Times> {
  const dir = mkdtempSync(join(tmpdir(), 'engram-bench-peer-'));
  const configPath = join(dir, 'config.json');
  const resultPath = join(dir, 'result.json');
  writeFileSync(configPath, JSON.stringify(config));
  return new Promise<Mem0Times>((resolve, reject) => {
    const child = spawn(process.execPath, [join(PEER_DIR, 'mem0-run.mjs'), configPath, resultPath], { cwd: PEER_DIR, stdio: ['ignore', 'pipe', 'pipe'] });
    const output: string[] = [];
    child.stdout.on('data', (c: Buffer) => output.push(c.toString()));
    child.stderr.on('data', (c: Buffer) => output.push(c.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), 600_000);
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      try {
        if (code !== 0) throw new Error(`the Mem0 runner failed (code ${code}, signal ${signal}):\n${output.join('').slice(-2000)}`);
        resolve(JSON.parse(readFileSync(resultPath, 'utf8')) as Mem0Times);
      } catch (err) {
        reject(err instanceof Error ? err : new Error(String(err)));
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    });
  });
}

async function scriptExtraction(llmUrl: string, texts: string[]): Promise<void> {
  const responses = texts.map((text) => ({ content: { memory: [{ id: '0', text }] } }));
  const res = await fetch(`${llmUrl}/_local/llm/script`, {
    method: 'POST',
    headers: { authorization: `Bearer ${LOCAL_TOKENS.llm}`, 'content-type': 'application/json' },
    body: JSON.stringify({ responses, mode: 'replace' }),
  });
  if (!res.ok) throw new Error(`scripting the local LLM failed: ${res.status} ${await res.text()}`);
}

export async function measurePeer(stack: BenchStack, opts: PeerOptions, say: (line: string) => void): Promise<PeerResult> {
  ensurePeer(say);
  const rand = prng(11);
  const adds = Array.from({ length: opts.adds }, () => sentence(rand));
  const queries = Array.from({ length: opts.searches }, (_, i) => query(i));
  const llm = stack.engram.stack.servers.llm.url;
  const user = `peer-${Date.now().toString(36)}`;

  await stack.setLlmLatency({ chat_ms: opts.llmMs, embeddings_ms: opts.delayMs });
  try {
    // Mem0: one scripted extraction answer per add, warm-up adds first (they reuse the first sentences).
    const warmTexts = Array.from({ length: opts.warmup }, (_, i) => adds[i % adds.length]!);
    await scriptExtraction(llm, [...warmTexts.map((t) => `warm-up: ${t}`), ...adds]);
    say(`  peer: Mem0 ${opts.adds} adds + ${opts.searches} searches (L = ${opts.llmMs} ms, D = ${opts.delayMs} ms)…`);
    const mem0 = await runMem0({ llmBaseUrl: `${llm}/v1`, apiKey: LOCAL_TOKENS.llm, user, warmup: opts.warmup, adds, queries });

    // Engram: the same D on every Upstash call; the same sentences and queries.
    await stack.setUpstreamDelay(opts.delayMs);
    const scope = { user, run: `${user}-s1` };
    for (let i = 0; i < adds.length; i += 100) {
      const messages = adds.slice(i, i + 100).map((content) => ({ role: 'user', content }));
      await stack.api.expect(201, 'POST', '/v1/memories', { user_id: `${user}-search`, messages, infer: false });
    }
    for (let i = 0; i < opts.warmup; i++) {
      await stack.api.expect(202, 'POST', '/v1/memories', bodies.ingest(user, scope.run, `warm-up: ${adds[i % adds.length]}`));
      await stack.api.expect(200, 'POST', '/v1/memories/search', bodies.search(`${user}-search`, query(i)));
    }
    const ingestMs: number[] = [];
    for (const text of adds) ingestMs.push((await stack.api.expect(202, 'POST', '/v1/memories', bodies.ingest(user, scope.run, text))).ms);
    const searchMs: number[] = [];
    for (const q of queries) searchMs.push((await stack.api.expect(200, 'POST', '/v1/memories/search', bodies.search(`${user}-search`, q))).ms);

    const p = (xs: number[], n: number) => round(percentile(xs, n));
    const result: PeerResult = {
      mem0_add_p50_ms: p(mem0.add_ms, 50),
      mem0_add_p95_ms: p(mem0.add_ms, 95),
      mem0_search_p50_ms: p(mem0.search_ms, 50),
      mem0_search_p95_ms: p(mem0.search_ms, 95),
      engram_ingest_p50_ms: p(ingestMs, 50),
      engram_ingest_p95_ms: p(ingestMs, 95),
      engram_search_p50_ms: p(searchMs, 50),
      engram_search_p95_ms: p(searchMs, 95),
      add_speedup: 0,
      search_speedup: 0,
      mem0_stored: mem0.stored,
    };
    result.add_speedup = round(result.mem0_add_p50_ms / result.engram_ingest_p50_ms, 1);
    result.search_speedup = round(result.mem0_search_p50_ms / result.engram_search_p50_ms, 1);
    say(`  peer: add p50 Mem0 ${result.mem0_add_p50_ms} ms vs Engram ${result.engram_ingest_p50_ms} ms; search p50 Mem0 ${result.mem0_search_p50_ms} ms vs Engram ${result.engram_search_p50_ms} ms`);
    return result;
  } finally {
    await stack.setUpstreamDelay(0);
    await stack.setLlmLatency({ chat_ms: 0, embeddings_ms: 0 });
    await fetch(`${llm}/_local/llm/script`, { method: 'DELETE', headers: { authorization: `Bearer ${LOCAL_TOKENS.llm}` } });
  }
}
