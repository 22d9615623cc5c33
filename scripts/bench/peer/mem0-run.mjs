// The peer side of the side-by-side benchmark, run in its own Node process (as Engram's Worker runs in
// workerd): Mem0's TypeScript OSS `Memory` (mem0ai, installed into this folder by the benchmark) with
// its in-memory vector store, against the local OpenAI-compatible LLM server. Plain ESM so the
// project's type check never needs mem0ai installed.
//
//   node mem0-run.mjs CONFIG.json RESULT.json
// CONFIG: {llmBaseUrl, apiKey, user, warmup, adds: [text], queries: [text]}
// RESULT: {add_ms: [ms], search_ms: [ms], stored: n, hits: n}   (warm-up calls are not timed)
import { readFileSync, writeFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';

process.env.MEM0_TELEMETRY = 'false';
const { Memory } = await import('mem0ai/oss');

const [configPath, resultPath] = process.argv.slice(2);
const config = JSON.parse(readFileSync(configPath, 'utf8'));
const DIM = 384; // the local LLM server's default embedding size

const memory = new Memory({
  embedder: { provider: 'openai', config: { apiKey: config.apiKey, baseURL: config.llmBaseUrl, model: 'engram-local-embedding', embeddingDims: DIM } },
  llm: { provider: 'openai', config: { apiKey: config.apiKey, baseURL: config.llmBaseUrl, model: 'gpt-4o-mini' } },
  vectorStore: { provider: 'memory', config: { collectionName: 'bench', dimension: DIM, dbPath: ':memory:' } },
  historyStore: { provider: 'memory', config: {} },
});

const add = (text) => memory.add([{ role: 'user', content: text }], { userId: config.user });
const search = (text) => memory.search(text, { filters: { user_id: config.user }, topK: 10, threshold: 0 });

// Warm-up: JIT, connection pools, the store's first tables. Uses the first adds and queries.
for (let i = 0; i < config.warmup; i++) {
  await add(config.adds[i % config.adds.length]);
  await search(config.queries[i % config.queries.length]);
}

const add_ms = [];
let stored = 0;
for (const text of config.adds) {
  const started = performance.now();
  const res = await add(text);
  add_ms.push(performance.now() - started);
  stored += res.results.length;
}
const search_ms = [];
let hits = 0;
for (const text of config.queries) {
  const started = performance.now();
  const res = await search(text);
  search_ms.push(performance.now() - started);
  hits += res.results.length;
}
writeFileSync(resultPath, JSON.stringify({ add_ms, search_ms, stored, hits }));
