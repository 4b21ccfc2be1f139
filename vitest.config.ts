import { defineConfig } from 'vitest/config';
import { EngineBesideSite } from './tests/lib/engine-beside-site.ts';

// The tests, by what they need:
//  - unit: pure functions (extraction, normalization, matching, content rules) — no processes;
//  - engine: the verify harness against the harness's real Docker engine;
//  - remote-engine: the harness against a second engine, as a maintainer's bigger machine;
//  - site: the built site served locally, driven by headless Chromium.
// The engine tests are the long chain; the others do not touch the harness's engine. So all of
// them share two workers: engine files one at a time (engine/one-file-at-a-time.ts) on one,
// the others' files beside them, in the order tests/lib/engine-beside-site.ts gives (one
// engine file, then one other, and so on). `npm test` went from 540-607 s, every file one
// after the other, to about 480 s warm (measured on this 2-core machine).
const besideEachOther = { maxWorkers: 2, sequence: { groupOrder: 0 } };
const engineTests = {
  // Every engine test sees its pages really run; the cache's own test turns reuse back on.
  env: { CURSO_VERIFY_REUSE: '0' },
  testTimeout: 600_000,
  hookTimeout: 1_200_000,
  ...besideEachOther,
};
const REMOTE = 'verify/test/engine/remote-engine.test.ts';

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
          exclude: [REMOTE],
          setupFiles: ['verify/test/engine/one-file-at-a-time.ts'],
          ...engineTests,
        },
      },
      {
        // Its engine is a dockerd of its own, in a network namespace of its own: nothing it does
        // reaches the harness's engine, so it runs beside the engine files, not among them.
        test: { name: 'remote-engine', include: [REMOTE], ...engineTests },
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
