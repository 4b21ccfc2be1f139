import { execa } from 'execa';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { collectTargets } from '../src/collect/collect.ts';
import { prepareEngineSession } from '../src/engine-session.ts';
import { defaultCacheDir } from '../src/engine/cache-dir.ts';
import type { Reporter, RunEvent } from '../src/report/events.ts';
import { Mode, runAll } from '../src/run/runner.ts';
import { stopEngine } from './cold-test.ts';

// npm run bench -- --cold: time from no engine and no images (the harness's own dockerd stopped
// and its data removed) to the first verified block. Destructive for the harness's cache, so opt-in.

export async function coldStart(cwd: string): Promise<void> {
  const cacheDir = defaultCacheDir();
  if (existsSync('/var/run/docker.sock') || process.env.DOCKER_HOST) {
    console.log('cold start: skipped (an engine the harness does not own is configured; it will not be stopped)');
    return;
  }
  await stopEngine(cacheDir);
  // --one-file-system: never follow a mount that outlived the engine out of the cache.
  await execa('rm', ['-rf', '--one-file-system', cacheDir]);
  const first = path.join(import.meta.dirname, 'first-block.md');
  const t0 = Date.now();
  let firstBlockMs: number | null = null;
  const watch: Reporter = {
    onEvent: (e: RunEvent) => {
      if (e.type === 'block-end' && e.result.status === 'passed' && firstBlockMs === null) firstBlockMs = Date.now() - t0;
    },
  };
  const report = await runAll({
    targets: collectTargets([first], cwd),
    mode: Mode.verify,
    argv: [first],
    reporters: [watch],
    prepareEngine: (l, pages) => prepareEngineSession(l, pages),
  });
  console.log(
    `cold start (no engine, no images → first verified block): ${firstBlockMs === null ? 'n/a' : `${(firstBlockMs / 1000).toFixed(1)} s`} (run ${report.summary.passed}/${report.summary.total} passed)`,
  );
}
