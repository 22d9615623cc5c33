import { cloudflareTest } from '@cloudflare/vitest-pool-workers';
import { defineConfig } from 'vitest/config';

// `npm run test:reliability`: the slower reliability suite, on its own command, in the same two
// projects as vitest.config.ts:
//  - node:    test/reliability/**/*.node.test.ts — the local servers and official SDKs, in Node;
//  - workers: test/reliability/**/*.test.ts — the real Worker inside workerd, against the local stack
//             that test/global-setup.ts starts (the same bindings as `npm test`).
// Property-based fuzzing, the auth/isolation property test and the prompt-injection checks live here.
export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'reliability-node',
          include: ['test/reliability/**/*.node.test.ts'],
          environment: 'node',
          testTimeout: 60_000,
          passWithNoTests: true,
        },
      },
      {
        plugins: [
          cloudflareTest(async ({ inject }) => ({
            main: './src/index.ts',
            wrangler: { configPath: './wrangler.toml' },
            // Shorter upstream deadlines than production (5 s / 60 s), so the fault tests' hung calls
            // (the local servers' timeout knob) end in a 503 quickly; local calls take milliseconds.
            miniflare: { bindings: { ...inject('workerBindings'), UPSTREAM_TIMEOUT_MS: '2500', LLM_TIMEOUT_MS: '3000' } },
          })),
        ],
        test: {
          name: 'reliability-workers',
          include: ['test/reliability/**/*.test.ts'],
          // faults.test.ts is unfinished and slow (> 4 min: every injected timeout waits out its deadline);
          // it runs only when asked: FAULTS=1 npm run test:reliability.
          exclude: ['test/reliability/**/*.node.test.ts', ...(process.env.FAULTS ? [] : ['test/reliability/faults.test.ts'])],
          globalSetup: ['test/global-setup.ts'],
          // One file at a time: the scripted LLM queue and the QStash drain are shared by the whole run.
          fileParallelism: false,
          testTimeout: 120_000,
          hookTimeout: 60_000,
        },
      },
    ],
  },
});
