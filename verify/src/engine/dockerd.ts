// The harness's own dockerd, for machines with no engine. It is started detached and left
// running after the run, like a cache: the next run connects to it in milliseconds instead of
// paying the start-up again. Everything it owns lives under <cacheDir>/dockerd, so it never
// touches a system engine's /var/lib/docker or /var/run/docker.sock.
import { spawn } from 'node:child_process';
import { mkdirSync, openSync, closeSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

export interface HarnessDockerdPaths {
  dir: string;
  socket: string;
  dataRoot: string;
  execRoot: string;
  pidFile: string;
  logFile: string;
}

export function harnessDockerdPaths(cacheDir: string): HarnessDockerdPaths {
  const dir = join(cacheDir, 'dockerd');
  return {
    dir,
    socket: join(dir, 'docker.sock'),
    dataRoot: join(dir, 'data'),
    // exec-root holds containerd's and the network namespaces' sockets: keep the path short.
    execRoot: join(dir, 'exec'),
    pidFile: join(dir, 'dockerd.pid'),
    logFile: join(dir, 'dockerd.log'),
  };
}

/** The pid in the pid file if that process is alive. */
export function harnessDockerdPid(paths: HarnessDockerdPaths): number | null {
  try {
    const pid = Number(readFileSync(paths.pidFile, 'utf8').trim());
    if (!pid) return null;
    process.kill(pid, 0);
    return pid;
  } catch {
    return null;
  }
}

/** Starts dockerd in its own session (so Ctrl-C on the run does not reach it) and returns. */
export function startHarnessDockerd(paths: HarnessDockerdPaths): number {
  mkdirSync(paths.dataRoot, { recursive: true });
  mkdirSync(paths.execRoot, { recursive: true });
  const logFd = openSync(paths.logFile, 'a');
  const child = spawn(
    'dockerd',
    [`--host=unix://${paths.socket}`, `--data-root=${paths.dataRoot}`, `--exec-root=${paths.execRoot}`, `--pidfile=${paths.pidFile}`],
    { detached: true, stdio: ['ignore', logFd, logFd] },
  );
  child.unref();
  closeSync(logFd);
  if (!child.pid) throw new Error('could not spawn dockerd');
  return child.pid;
}

export function stopHint(paths: HarnessDockerdPaths): string {
  return `kill $(cat ${paths.pidFile})`;
}
