import { defineConfig } from 'vitest/config';

// Three groups of tests, by what they need:
//  - unit: pure functions (extraction, normalization, matching, content rules) — no processes;
//  - engine: the verify harness against a real Docker engine (labs are slow to start, so these
//    run one file at a time);
//  - site: the built site served locally, driven by headless Chromium.
export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          include: ['verify/test/unit/**/*.test.ts', 'tests/content/**/*.test.ts'],
        },
      },
      {
        test: {
          name: 'engine',
          include: ['verify/test/engine/**/*.test.ts'],
          // Every engine test sees its pages really run; the cache's own test turns reuse back on.
          env: { CURSO_VERIFY_REUSE: '0' },
          fileParallelism: false,
          testTimeout: 600_000,
          hookTimeout: 1_200_000,
        },
      },
      {
        test: {
          name: 'site',
          include: ['tests/site/**/*.test.ts'],
          globalSetup: ['tests/site/global-setup.ts'],
          fileParallelism: false,
          // Tests marked concurrent (one page each, in its own tab of the file's browser) run
          // this many at a time: a page mostly waits on loading and settling, so on two cores
          // three tabs keep the CPU busy without slowing each page down to a timeout.
          maxConcurrency: 3,
          testTimeout: 120_000,
          hookTimeout: 600_000,
        },
      },
    ],
  },
});
