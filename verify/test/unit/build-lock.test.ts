import { mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { buildLockPath, withBuildLock } from '../../src/engine/build-lock.ts';

// The lock file's owner writes its pid just after creating the file: a lock read empty in that
// moment belongs to a live process, and must not be taken over. One left empty for long (its
// owner killed in that moment) is.
describe('an empty lock file', () => {
  const dirs: string[] = [];
  const lockDir = () => {
    const d = mkdtempSync(join(tmpdir(), 'curso-lock-'));
    dirs.push(d);
    return d;
  };
  afterEach(() => {
    for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
  });

  it('just created is waited on, not taken over', async () => {
    const dir = lockDir();
    const file = buildLockPath('k', dir);
    writeFileSync(file, '');
    let entered = false;
    const holding = withBuildLock(
      'k',
      async () => {
        entered = true;
      },
      { dir },
    );
    await new Promise((r) => setTimeout(r, 1_500));
    expect(entered, 'entered while the other owner was writing its pid').toBe(false);
    rmSync(file); // the owner releases it
    await holding;
    expect(entered).toBe(true);
  });

  it('left empty for long is taken over', async () => {
    const dir = lockDir();
    const file = buildLockPath('k', dir);
    writeFileSync(file, '');
    const longAgo = (Date.now() - 60_000) / 1000;
    utimesSync(file, longAgo, longAgo);
    const t0 = Date.now();
    expect(await withBuildLock('k', async () => 'in', { dir })).toBe('in');
    expect(Date.now() - t0).toBeLessThan(5_000);
  });
});
