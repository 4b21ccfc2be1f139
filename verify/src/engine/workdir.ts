// Scratch directories for image builds (root filesystems of a few hundred MB). Named after
// the owning pid so that a build killed halfway (Ctrl-C, SIGKILL, a crash) is cleaned up by
// the next run, and removed with `rm --one-file-system`: an interrupted mmdebstrap may leave
// /proc, /sys or /dev bind-mounted inside, and a plain recursive delete would follow them.
import { mkdtemp, readdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { run } from './proc.ts';

const PREFIX = 'curso-verify-';

export async function makeWorkDir(kind: string): Promise<string> {
  return mkdtemp(join(tmpdir(), `${PREFIX}${process.pid}-${kind}-`));
}

export async function removeWorkDir(dir: string): Promise<void> {
  await run('rm', ['-rf', '--one-file-system', dir], { timeoutMs: 5 * 60_000 });
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Removes scratch directories of processes that are gone. */
export async function removeStaleWorkDirs(): Promise<void> {
  const names = await readdir(tmpdir()).catch(() => [] as string[]);
  for (const name of names) {
    const m = /^curso-verify-(\d+)-/.exec(name);
    if (m && !alive(Number(m[1]))) await removeWorkDir(join(tmpdir(), name));
  }
}
