import { execa } from 'execa';
import { existsSync, mkdtempSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import path from 'node:path';
import { defaultCacheDir } from '../src/engine/cache-dir.ts';
import { harnessDockerdPaths, harnessDockerdPid } from '../src/engine/dockerd.ts';
import { busySeconds, sampleCpu } from './cpu-time.ts';

// npm run bench -- --only cold-test: `npm install && npm test` as on a fresh machine, timed.
// A fresh clone of this repository's HEAD, a fresh npm cache, and the harness's cache (its
// engine's images, labs, results) moved aside, not deleted: the harness starts its engine from
// nothing and builds every image. Afterwards the cold cache is removed and the maintainer's is
// put back as it was. The system packages (chromium, docker.io, mmdebstrap) stay installed:
// `.ci/run` installs them before `npm test`, outside this figure.

const root = path.resolve(import.meta.dirname, '../..');

export async function coldTestFigures(log: (m: string) => void): Promise<void> {
  if (existsSync('/var/run/docker.sock') || process.env.DOCKER_HOST) {
    console.log('cold npm test: skipped (an engine the harness does not own is configured; it will not be emptied)');
    return;
  }
  const cache = defaultCacheDir();
  const aside = `${cache}.cold-test-aside`;
  if (existsSync(aside))
    throw new Error(`${aside} exists: an earlier cold-test was cut off. Put it back first: rm -rf ${cache} && mv ${aside} ${cache}`);
  const work = mkdtempSync(path.join(tmpdir(), 'curso-cold-test-'));
  await stopEngine(cache);
  if (existsSync(cache)) renameSync(cache, aside);
  log(`the harness's cache is aside in ${aside} until the end (if this is cut off: rm -rf ${cache} && mv ${aside} ${cache})`);
  try {
    const clone = path.join(work, 'clone');
    await execa('git', ['clone', '-q', root, clone]);
    const head = (await execa('git', ['-C', clone, 'log', '-1', '--format=%h'])).stdout;
    const env = { npm_config_cache: path.join(work, 'npm'), CI: 'true', FORCE_COLOR: '0' };
    const timed = async (args: string[]) => {
      const [t0, cpu0] = [Date.now(), sampleCpu()];
      const r = await execa('npm', args, { cwd: clone, env, reject: false, all: true });
      const seconds = (Date.now() - t0) / 1000;
      return { seconds, busy: busySeconds(cpu0, sampleCpu()), exitCode: r.exitCode, tail: r.all.split('\n').slice(-8).join('\n') };
    };
    log(`npm install in a fresh clone of ${head} …`);
    const install = await timed(['install', '--no-audit', '--no-fund']);
    log('npm test from no engine and no images …');
    const test = await timed(['test']);
    if (test.exitCode !== 0) console.log(`npm test failed (exit ${test.exitCode}):\n${test.tail}`);
    console.log(
      `cold npm install && npm test (${head}): install ${install.seconds.toFixed(0)} s + test ${test.seconds.toFixed(0)} s = ${(install.seconds + test.seconds).toFixed(0)} s${test.exitCode === 0 ? '' : ' (tests failed)'}`,
    );
    // How busy the machine was during the tests: near all its cores, and only less work (or
    // more cores) makes the run shorter; well below, the tests wait on something else.
    if (test.busy !== null)
      console.log(
        `  during npm test: ${test.busy.toFixed(0)} CPU seconds busy, ${(test.busy / test.seconds).toFixed(2)} of ${availableParallelism()} cores on average`,
      );
  } finally {
    await stopEngine(cache);
    rmSync(cache, { recursive: true, force: true });
    if (existsSync(aside)) renameSync(aside, cache);
    rmSync(work, { recursive: true, force: true });
  }
}

/** Stops the harness's dockerd of `cache` and unmounts what it left mounted under it. */
export async function stopEngine(cache: string): Promise<void> {
  const paths = harnessDockerdPaths(cache);
  const pid = harnessDockerdPid(paths);
  if (pid) {
    process.kill(pid, 'SIGTERM');
    for (let i = 0; i < 150 && harnessDockerdPid(paths); i++) await new Promise((r) => setTimeout(r, 200));
  }
  // Deepest first; a busy mount is detached lazily (its files go when the last user does).
  const mounts = readFileSync('/proc/self/mounts', 'utf8')
    .split('\n')
    .map((l) => l.split(' ')[1] ?? '')
    .filter((m) => m.startsWith(`${cache}/`))
    .sort()
    .reverse();
  for (const m of mounts)
    if ((await execa('umount', [m], { reject: false })).exitCode !== 0) await execa('umount', ['-l', m], { reject: false });
}
