import { defineConfig } from 'vitest/config';
import { EngineBesideSite } from './tests/lib/engine-beside-site.ts';

// Three groups of tests, by what they need:
//  - unit: pure functions (extraction, normalization, matching, content rules) — no processes;
//  - engine: the verify harness against a real Docker engine;
//  - site: the built site served locally, driven by headless Chromium.
// The engine tests are the long chain and mostly wait on labs; the browser tests mostly wait on
// pages loading. So the three projects share two workers: engine files one at a time
// (engine/one-file-at-a-time.ts) on one of them, the others' files beside them, in the order
// tests/lib/engine-beside-site.ts gives (one engine file, then one other, and so on).
const besideEachOther = { maxWorkers: 2, sequence: { groupOrder: 0 } };

export default defineConfig({
  test: {
    sequence: { sequencer: EngineBesideSite },
    projects: [
      {
        test: {
          name: 'unit',
          include: ['verify/test/unit/**/*.test.ts', 'tests/content/**/*.test.ts'],
          ...besideEachOther,
        },
      },
      {
        test: {
          name: 'engine',
          include: ['verify/test/engine/**/*.test.ts'],
          setupFiles: ['verify/test/engine/one-file-at-a-time.ts'],
          // Every engine test sees its pages really run; the cache's own test turns reuse back on.
          env: { CURSO_VERIFY_REUSE: '0' },
          testTimeout: 600_000,
          hookTimeout: 1_200_000,
          ...besideEachOther,
        },
      },
      {
        test: {
          name: 'site',
          include: ['tests/site/**/*.test.ts'],
          globalSetup: ['tests/site/global-setup.ts'],
          // Tests marked concurrent (one page each, in its own tab of the file's browser) run
          // this many at a time: a page mostly waits on loading and settling, so on two cores
          // three tabs keep the CPU busy without slowing each page down to a timeout.
          maxConcurrency: 3,
          testTimeout: 120_000,
          hookTimeout: 600_000,
          ...besideEachOther,
        },
      },
    ],
  },
});
