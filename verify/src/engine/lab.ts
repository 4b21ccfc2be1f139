// A lab: one page's "reader machine". A container from the lab image running its own dockerd
// (Docker-in-Docker), on the run's network next to the mirror, with the base images already
// pulled — as if the reader had followed the install page and pulled them — and an empty
// working directory. Each page gets a fresh one; dispose() removes it with its storage.
import { randomBytes } from 'node:crypto';
import type { Engine } from './engine.ts';
import type { DindConfig } from './dind.ts';
import { LABEL_PAGE, runLabels, slug } from './labels.ts';
import { LAB_ENTRYPOINT, LAB_HOME, LAB_HOSTNAME, LAB_USER, SEED_MOUNT } from './lab-image.ts';
import { apiExec } from './exec.ts';
import type { LabLimitReading } from '../model/cause.ts';
import { deadLab, limitsBetween, LIMIT_COUNTERS_SCRIPT, parseLimitCounters, type LimitCounters } from './limits.ts';
import { config } from './config.ts';
import { removeVolume } from './cleanup.ts';
import { run, runOk, waitFor } from './proc.ts';

/** Where a page starts: a folder in the reader's home. */
export const LAB_WORKDIR = `${LAB_HOME}/curso`;
/** The reader's shell and the files the page writes are the reader's, not root's. */
const READER_ENV = ['-e', `USER=${LAB_USER}`, '-e', `LOGNAME=${LAB_USER}`, '-e', `HOME=${LAB_HOME}`];

export interface LabContext {
  engine: Engine;
  /** Lab image ref (from ensureLabImage). */
  labImage: string;
  /** The run's network, where the mirror answers as `mirror`. */
  network: string;
  /** Images to pull inside each new lab, e.g. ['busybox:latest', 'debian:bookworm', 'debian:trixie']. */
  baseImages: readonly string[];
  dind: DindConfig;
  /** A complete seed volume (seed.ts) to copy /var/lib/docker from instead of pulling; optional. */
  seedVolume?: string | null;
  log: (msg: string) => void;
}

export interface ExecResult {
  exitCode: number;
  /** stdout and stderr interleaved. */
  output: string;
}

/** The argv and env that start an interactive bash in the lab (run/terminal.ts spawns it in a PTY). */
export interface ShellCommand {
  file: string;
  args: string[];
  env: Record<string, string>;
}

export interface Lab {
  /** Container name on the host engine. */
  name: string;
  /** The volume holding the lab's /var/lib/docker. */
  dockerVolume: string;
  workdir: string;
  /** The argv (and env) to spawn an interactive bash in the lab through a PTY. */
  shell(): ShellCommand;
  /**
   * A person's shell as the reader, in `cwd` (`npm run lab`): an interactive bash with a prompt
   * that names the lab, or `bash -c command` (on a terminal only when `tty`).
   */
  readerShell(opts: { cwd: string; tty: boolean; command?: string; prompt?: string }): ShellCommand;
  /** Non-interactive `bash -lc cmd` in the lab (setup, inspection). */
  exec(cmd: string, opts?: { timeoutMs?: number }): Promise<ExecResult>;
  /**
   * Whether the lab hit its limits since this was last asked (or since it started): memory, pids,
   * or the lab itself killed; as data for a failing step's note, or null.
   */
  limitsReached(): Promise<LabLimitReading | null>;
  /** The last reading `limitsReached` returned that was not null (null: none yet). */
  lastLimitReading(): LabLimitReading | null;
  /** Writes `content` to the absolute `path` in the lab, creating its directory; throws on failure. */
  writeFile(path: string, content: string): Promise<void>;
  /** Removes the container and its /var/lib/docker volume. Idempotent. */
  dispose(): Promise<void>;
  /** Milliseconds spent in each phase of createLab ("dockerd" includes copying the seed). */
  timings: { container: number; dockerd: number; pulls: number; total: number };
  /** Which base images had to be pulled (none when the lab was seeded). */
  pulled: string[];
}

export interface CreateLabOptions {
  runId: string;
  /** The page this lab is for (a path or id); recorded in a label. */
  page: string;
  /** How long the nested dockerd may take to answer (default 60 s). */
  dockerdTimeoutMs?: number;
  /**
   * Where the lab's /var/lib/docker lives (default: env CURSO_VERIFY_LAB_STORAGE, else memory).
   * The seed is made from a disk lab: a tmpfs volume is emptied when its container stops.
   */
  storage?: 'memory' | 'disk';
  /**
   * The images the lab holds when the page starts: what the reader has pulled on arriving at
   * it (collect/units.ts). Default: the base images (`ctx.baseImages`).
   */
  images?: readonly string[];
}

export async function createLab(ctx: LabContext, opts: CreateLabOptions): Promise<Lab> {
  const { engine } = ctx;
  const t0 = Date.now();
  // Readable and unique: run, page, and a few random bytes (the same page may run twice).
  const name = `curso-verify-lab-${slug(opts.runId, 24)}-${slug(opts.page.replace(/\.mdx?$/, ''), 30)}-${randomBytes(3).toString('hex')}`;
  const volume = `${name}-docker`;
  const labels = runLabels(opts.runId, 'lab', { [LABEL_PAGE]: opts.page });

  const exec = async (cmd: string, o: { timeoutMs?: number } = {}): Promise<ExecResult> => {
    const r = await apiExec(engine, name, ['bash', '-lc', cmd], { timeoutMs: o.timeoutMs ?? 5 * 60_000 });
    return { exitCode: r.exitCode, output: r.output };
  };

  let disposed: Promise<void> | undefined;
  const dispose = () =>
    (disposed ??= (async () => {
      await engine.docker
        .getContainer(name)
        .remove({ force: true, v: true })
        .catch(() => {});
      // Still refused after the retries: the run's cleanup removes it by its label.
      await removeVolume(engine, volume).catch(() => {});
    })());

  try {
    // A seed removed meanwhile (another run made a newer one) must not be recreated empty by
    // the bind below: do without it.
    // The seed holds the base images; a lab meant to hold fewer (a reader who has not pulled
    // them yet) starts empty instead: removing them would leave untag/delete events that the
    // reader's `docker events --since` would show.
    const wanted = opts.images ?? ctx.baseImages;
    const seedFits = ctx.baseImages.every((ref) => wanted.includes(ref));
    const seed =
      seedFits &&
      ctx.seedVolume &&
      (await engine.docker
        .getVolume(ctx.seedVolume)
        .inspect()
        .then(
          () => ctx.seedVolume,
          () => null,
        ));
    await engine.docker.createVolume({
      Name: volume,
      Labels: runLabels(opts.runId, 'lab-docker', { [LABEL_PAGE]: opts.page }),
      DriverOpts: labStorageOpts(opts.storage),
    });
    const binds = [...(ctx.dind.hostConfig.Binds ?? []), `${volume}:/var/lib/docker`];
    if (seed) binds.push(`${seed}:${SEED_MOUNT}:ro`);
    const c = await engine.docker.createContainer({
      name,
      Image: ctx.labImage,
      Hostname: LAB_HOSTNAME,
      Labels: labels,
      Env: ['TERM=xterm-256color', 'LANG=C.UTF-8'],
      // Arguments of the entrypoint (not env vars: those would show in the reader's `env`).
      ...(ctx.dind.entrypointPrefix
        ? { Entrypoint: [...LAB_ENTRYPOINT.slice(0, 2), ...ctx.dind.entrypointPrefix, ...LAB_ENTRYPOINT.slice(2)] }
        : {}),
      Cmd: seed ? ['--seed', SEED_MOUNT] : [],
      HostConfig: {
        ...ctx.dind.hostConfig,
        Binds: binds,
        NetworkMode: ctx.network,
      },
    });
    await c.start();
    const tContainer = Date.now();

    // The nested dockerd is up when its API answers /_ping (curl: cheaper than a docker CLI).
    // A seeded lab copies the seed first, so this phase includes the copy. Waiting ends early
    // when the container stops (or is gone: inspecting it below then says why).
    const answers = () =>
      apiExec(engine, name, ['curl', '-sf', '--unix-socket', '/var/run/docker.sock', 'http://localhost/_ping'], { timeoutMs: 10_000 }).then(
        (r) => r.exitCode === 0 && r.output.trim() === 'OK',
        () => false,
      );
    const stopped = () =>
      c.inspect().then(
        (i) => !i.State.Running,
        () => true,
      );
    let up = false;
    await waitFor(
      async () => {
        up = await answers();
        return up || (await stopped());
      },
      opts.dockerdTimeoutMs ?? 60_000,
      100,
    );
    if (!up) {
      const state = (await c.inspect()).State;
      const logs = await run('docker', ['logs', '--tail', '30', name], { env: engine.env });
      const dockerdLog = state.Running ? (await exec('tail -n 30 /var/log/dockerd.log')).output : '';
      throw new Error(
        `${
          state.Running
            ? `the lab's dockerd did not answer within ${(opts.dockerdTimeoutMs ?? 60_000) / 1000} s`
            : `the lab container stopped (exit code ${state.ExitCode})`
        }:\n${logs.all}${dockerdLog}`,
      );
    }
    const tDockerd = Date.now();

    // Whatever the reader has pulled on arriving (opts.images; the base images by default) and
    // the seed did not bring is pulled through the mirror, in parallel, as `docker pull` would
    // on a reader's machine.
    const present = await apiExec(engine, name, [
      'sh',
      '-c',
      'for ref; do docker image inspect --format . "$ref" >/dev/null 2>&1 && echo "$ref"; done; true',
      'sh',
      ...wanted,
    ]);
    const has = new Set(
      present.output
        .split('\n')
        .map((l) => l.trim())
        .filter(Boolean),
    );
    const pulled = wanted.filter((ref) => !has.has(ref));
    const pulls = await Promise.all(pulled.map((ref) => apiExec(engine, name, ['docker', 'pull', '-q', ref], { timeoutMs: 5 * 60_000 })));
    pulls.forEach((r, i) => {
      if (r.exitCode !== 0) throw new Error(`pulling ${pulled[i]} inside the lab failed:\n${r.output}`);
    });
    const tPulls = Date.now();

    const readCounters = async (): Promise<LimitCounters | null> => {
      const r = await apiExec(engine, name, ['sh', '-c', LIMIT_COUNTERS_SCRIPT], { timeoutMs: 10_000 }).catch(() => null);
      return r && r.exitCode === 0 ? parseLimitCounters(r.output) : null;
    };
    let counters = (await readCounters()) ?? { oomKills: 0, forkRefusals: 0 };
    let lastReading: LabLimitReading | null = null;
    const limitsReached = async (): Promise<LabLimitReading | null> => {
      const state = await c.inspect().then(
        (i) => i.State,
        () => null,
      );
      if (state && !state.Running) {
        lastReading = deadLab(state);
        return lastReading;
      }
      const now = await readCounters();
      if (!now) return null;
      const why = limitsBetween(counters, now);
      counters = now; // each event is told once, and remembered (lastLimitReading)
      if (why) lastReading = why;
      return why;
    };

    const wd = await exec(`rm -rf ${LAB_WORKDIR} && install -d -o ${LAB_USER} -g ${LAB_USER} ${LAB_WORKDIR}`);
    if (wd.exitCode !== 0) throw new Error(`could not create ${LAB_WORKDIR} in the lab:\n${wd.output}`);

    return {
      name,
      dockerVolume: volume,
      workdir: LAB_WORKDIR,
      shell: () => ({
        file: engine.cli,
        args: [
          'exec',
          '-it',
          '-u',
          LAB_USER,
          '-w',
          LAB_WORKDIR,
          '-e',
          'TERM=xterm-256color',
          ...READER_ENV,
          name,
          'bash',
          '--noprofile',
          '--norc',
          '--noediting',
        ],
        env: { ...definedEnv(), ...engine.env },
      }),
      readerShell: ({ cwd, tty, command, prompt }) => ({
        file: engine.cli,
        args: [
          'exec',
          ...(tty ? ['-it'] : ['-i']),
          '-u',
          LAB_USER,
          '-w',
          cwd,
          '-e',
          'TERM=xterm-256color',
          ...READER_ENV,
          ...(prompt ? ['-e', `PS1=${prompt}`] : []),
          name,
          'bash',
          ...(command === undefined ? ['--norc', '-i'] : ['-c', command]),
        ],
        env: { ...definedEnv(), ...engine.env },
      }),
      exec,
      limitsReached,
      lastLimitReading: () => lastReading,
      // Through the docker CLI, which pipes `content` to the process: apiExec (exec.ts) attaches no stdin.
      writeFile: async (path, content) => {
        await runOk(
          engine.cli,
          ['exec', '-i', '-u', LAB_USER, name, 'sh', '-c', 'mkdir -p -- "$(dirname -- "$1")" && cat > "$1"', 'sh', path],
          {
            input: content,
            env: engine.env,
            timeoutMs: 30_000,
          },
        );
      },
      dispose,
      timings: { container: tContainer - t0, dockerd: tDockerd - tContainer, pulls: tPulls - tDockerd, total: Date.now() - t0 },
      pulled,
    };
  } catch (err) {
    await dispose();
    throw err;
  }
}

/**
 * The lab's /var/lib/docker lives in memory (a tmpfs volume) unless CURSO_VERIFY_LAB_STORAGE=disk.
 * Measured here: writing ~300 MB of image layers to disk per lab, and deleting them again on
 * dispose, cost 5–10 s per lab on a virtual disk (deletes are slow and slow down the next
 * lab's writes); in memory a seeded lab is ready in ~4 s and disposed in under 1 s. A lab
 * holds ~300 MB plus what the page builds or pulls; the size below is only a ceiling.
 */
function labStorageOpts(storage = config.labStorage()): Record<string, string> | undefined {
  if (storage === 'disk') return undefined;
  const size = config.labTmpfsSize();
  return { type: 'tmpfs', device: 'tmpfs', o: `size=${size},mode=0711` };
}

function definedEnv(): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(process.env)) if (v !== undefined) out[k] = v;
  return out;
}
