import { cloudflareTest } from '@cloudflare/vitest-pool-workers';
import { defineConfig } from 'vitest/config';

// Two projects:
//  - node:    the local servers (wire-protocol conformance with the official SDKs) and pure policy;
//  - workers: the real Worker inside workerd, its outbound fetches reaching the local servers that
//             test/global-setup.ts starts in Node on free ports and hands over with provide/inject.
export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'node',
          include: ['test/local/**/*.test.ts', 'test/unit/**/*.test.ts'],
          environment: 'node',
          testTimeout: 20_000,
        },
      },
      {
        plugins: [
          cloudflareTest(async ({ inject }) => ({
            main: './src/index.ts',
            wrangler: { configPath: './wrangler.toml' },
            miniflare: { bindings: inject('workerBindings') },
          })),
        ],
        test: {
          name: 'workers',
          // Plus a fast slice of the reliability properties: fuzzing, isolation and prompt injection with
          // a fraction of their runs (fuzzScale; `npm run test:reliability` runs them in full).
          include: ['test/worker/**/*.test.ts', 'test/reliability/{fuzz-memories,fuzz-routes,isolation,injection}.test.ts'],
          provide: { fuzzScale: 0.1 },
          globalSetup: ['test/global-setup.ts'],
          // One file at a time: the scripted LLM queue and the QStash drain are shared by the whole run.
          fileParallelism: false,
          testTimeout: 30_000,
          hookTimeout: 30_000,
        },
      },
      {
        // compat: clients of other memory APIs (Mem0's MemoryClient, installed into test/mem0 when
        // missing) against the real Worker under wrangler dev, over HTTP from Node. Each file starts
        // its own stack in its own process (test/compat/helpers.ts useEngram), not in a global setup.
        test: {
          name: 'compat',
          include: ['test/compat/**/*.test.ts'],
          environment: 'node',
          fileParallelism: false,
          testTimeout: 30_000,
        },
      },
    ],
  },
});
