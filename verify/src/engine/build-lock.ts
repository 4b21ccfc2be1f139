// One build of an image recipe at a time, across every process of this machine that uses the
// harness's cache (several test runs and `npm run verify` share one engine). Without it, two
// runs that find a stand-in missing both build it: twice the time, and the first image is left
// untagged when the second takes the tag. The lock is a file created exclusively under the
// cache dir, holding its owner's pid and start time, so a lock left by a killed process is
// taken over instead of waited on forever.
import { mkdirSync, openSync, closeSync, readFileSync, statSync, unlinkSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { config } from './config.ts';
import { processStartTime } from './labels.ts';
import { sleep } from './proc.ts';

/** Locks held or awaited by this process, by path: in-process callers queue here, not on the file. */
const held = new Map<string, Promise<void>>();

/** The lock file of a build key (a recipe hash or an image ref, made file-name safe). */
export function buildLockPath(key: string, dir = join(config.cacheDir(), 'locks')): string {
  return join(dir, `build-${key.replace(/[^A-Za-z0-9_.-]+/g, '_')}.lock`);
}

/** How long a lock file may stay empty before its owner is taken for dead. */
const EMPTY_LOCK_GRACE_MS = 10_000;

const mtimeMs = (path: string) => {
  try {
    return statSync(path).mtimeMs;
  } catch {
    return Date.now(); // just released: not abandoned, try again
  }
};

/** Is the process that wrote this lock file gone (or is the file unreadable garbage)? */
function abandoned(path: string): boolean {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    return false; // just released: try again
  }
  const [pid, start] = text.trim().split(' ');
  // Empty: its owner created it and has not written its pid yet (a moment), unless it has
  // stayed empty for long, which only a process killed in that moment leaves.
  if (!pid) return Date.now() - mtimeMs(path) > EMPTY_LOCK_GRACE_MS;
  if (!/^\d+$/.test(pid)) return true;
  try {
    process.kill(Number(pid), 0);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EPERM') return true;
  }
  // Same pid, another process: the pid was reused after the owner died.
  return Boolean(start) && processStartTime(Number(pid)) !== start;
}

async function acquire(path: string, onWait: () => void): Promise<void> {
  mkdirSync(join(path, '..'), { recursive: true });
  let waited = false;
  for (;;) {
    try {
      const fd = openSync(path, 'wx');
      writeSync(fd, `${process.pid} ${processStartTime(process.pid) ?? ''}\n`);
      closeSync(fd);
      return;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    }
    if (abandoned(path)) {
      try {
        unlinkSync(path);
      } catch {
        // another waiter took it over first
      }
      continue;
    }
    if (!waited) onWait();
    waited = true;
    await sleep(500);
  }
}

/**
 * Runs `fn` holding the lock of `key`: no other process (nor call of this one) holding the same
 * key runs at the same time. `onWait` is called once if another holder makes us wait.
 */
export async function withBuildLock<T>(key: string, fn: () => Promise<T>, opts: { onWait?: () => void; dir?: string } = {}): Promise<T> {
  const path = buildLockPath(key, opts.dir);
  const before = held.get(path) ?? Promise.resolve();
  let release!: () => void;
  const mine = new Promise<void>((r) => {
    release = r;
  });
  const tail = before.then(() => mine);
  held.set(path, tail);
  await before;
  try {
    await acquire(path, opts.onWait ?? (() => {}));
    try {
      return await fn();
    } finally {
      try {
        unlinkSync(path);
      } catch {
        // already gone: nothing to release
      }
    }
  } finally {
    release();
    if (held.get(path) === tail) held.delete(path);
  }
}
