// Setup file of the engine project: one engine test file at a time on this machine.
// The engine project shares vitest's two workers with the other projects (vitest.config.ts),
// so that the browser tests run beside the engine tests instead of after them. Engine test
// files must not run beside each other: they share the harness's one engine, and some of them
// sweep its images, count its containers or read its whole state. Each file takes the lock (a file under the
// harness's cache, so a second `npm test` on this machine waits too) before its tests and lets
// it go after them; a worker that died leaves a lock the next one takes over.
import { afterAll } from 'vitest';
import { withBuildLock } from '../../src/engine/build-lock.ts';

let release!: () => void;
await new Promise<void>((acquired) => {
  void withBuildLock('engine-test-file', () => {
    acquired();
    return new Promise<void>((done) => {
      release = done;
    });
  });
});
afterAll(() => release());
