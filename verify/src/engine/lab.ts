// A lab: one page's "reader machine". A container from the lab image running its own dockerd
// (Docker-in-Docker), on the run's network next to the mirror, with the base images already
// pulled — as if the reader had followed the install page and pulled them — and an empty
// working directory. Each page gets a fresh one; dispose() removes it with its storage.
import { randomBytes } from 'node:crypto';
import type { Engine } from './engine.ts';
import type { DindConfig } from './dind.ts';
import { LABEL_PAGE, runLabels, slug } from './labels.ts';
import { LAB_HOSTNAME } from './lab-image.ts';
import { run, sleep } from './proc.ts';

export const LAB_WORKDIR = '/root/curso';

export interface LabContext {
  engine: Engine;
  /** Lab image ref (from ensureLabImage). */
  labImage: string;
  /** The run's network, where the mirror answers as `mirror`. */
  network: string;
  /** Images to pull inside each new lab, e.g. ['busybox:latest', 'debian:bookworm', 'debian:trixie']. */
  baseImages: readonly string[];
  dind: DindConfig;
  log: (msg: string) => void;
}

export interface ExecResult {
  exitCode: number;
  /** stdout and stderr interleaved. */
  output: string;
}

export interface ShellCommand {
  file: string;
  args: string[];
  env: Record<string, string>;
}

export interface Lab {
  /** Container name on the host engine. */
  name: string;
  workdir: string;
  /** The argv (and env) to spawn an interactive bash in the lab through a PTY. */
  shell(): ShellCommand;
  /** Non-interactive `bash -lc cmd` in the lab (setup, inspection). */
  exec(cmd: string, opts?: { timeoutMs?: number }): Promise<ExecResult>;
  /** Removes the container and its /var/lib/docker volume. Idempotent. */
  dispose(): Promise<void>;
  /** Milliseconds spent in each phase of createLab. */
  timings: { container: number; dockerd: number; pulls: number; total: number };
}

export interface CreateLabOptions {
  runId: string;
  /** The page this lab is for (a path or id); recorded in a label. */
  page: string;
  /** How long the nested dockerd may take to answer (default 60 s). */
  dockerdTimeoutMs?: number;
}

export async function createLab(ctx: LabContext, opts: CreateLabOptions): Promise<Lab> {
  const { engine } = ctx;
  const t0 = Date.now();
  // Readable and unique: run, page, and a few random bytes (the same page may run twice).
  const name = `curso-verify-lab-${slug(opts.runId, 24)}-${slug(opts.page.replace(/\.mdx?$/, ''), 30)}-${randomBytes(3).toString('hex')}`;
  const volume = `${name}-docker`;
  const labels = runLabels(opts.runId, 'lab', { [LABEL_PAGE]: opts.page });

  const exec = async (cmd: string, o: { timeoutMs?: number } = {}): Promise<ExecResult> => {
    const r = await run('docker', ['exec', name, 'bash', '-lc', cmd], {
      env: engine.env,
      timeoutMs: o.timeoutMs ?? 5 * 60_000,
    });
    return { exitCode: r.exitCode, output: r.all };
  };

  let disposed: Promise<void> | undefined;
  const dispose = () =>
    (disposed ??= (async () => {
      await engine.docker.getContainer(name).remove({ force: true, v: true }).catch(() => {});
      // The volume can stay "in use" for a moment after the container is gone.
      for (let i = 0; i < 20; i++) {
        try {
          await engine.docker.getVolume(volume).remove();
          return;
        } catch (err) {
          if ((err as { statusCode?: number }).statusCode === 404) return;
          await sleep(250);
        }
      }
    })());

  try {
    await engine.docker.createVolume({ Name: volume, Labels: runLabels(opts.runId, 'lab-docker', { [LABEL_PAGE]: opts.page }) });
    const c = await engine.docker.createContainer({
      name,
      Image: ctx.labImage,
      Hostname: LAB_HOSTNAME,
      Labels: labels,
      Env: ['TERM=xterm-256color', 'LANG=C.UTF-8'],
      HostConfig: {
        ...ctx.dind.hostConfig,
        Binds: [...(ctx.dind.hostConfig.Binds ?? []), `${volume}:/var/lib/docker`],
        NetworkMode: ctx.network,
      },
    });
    await c.start();
    const tContainer = Date.now();

    // The nested dockerd answers when `docker info` works inside.
    const deadline = Date.now() + (opts.dockerdTimeoutMs ?? 60_000);
    let last = '';
    for (;;) {
      const r = await run('docker', ['exec', name, 'docker', 'info', '--format', '{{.ServerVersion}}'], { env: engine.env, timeoutMs: 10_000 });
      if (r.exitCode === 0) break;
      last = r.all;
      if (Date.now() > deadline) {
        const log = await exec('tail -n 30 /var/log/dockerd.log');
        throw new Error(`the lab's dockerd did not start within ${(opts.dockerdTimeoutMs ?? 60_000) / 1000} s:\n${last}\n${log.output}`);
      }
      await sleep(150);
    }
    const tDockerd = Date.now();

    // Pull through the mirror, as `docker pull` would on a reader's machine.
    const pulls = await Promise.all(
      ctx.baseImages.map((ref) => run('docker', ['exec', name, 'docker', 'pull', '-q', ref], { env: engine.env, timeoutMs: 5 * 60_000 })),
    );
    pulls.forEach((r, i) => {
      if (r.exitCode !== 0) throw new Error(`pulling ${ctx.baseImages[i]} inside the lab failed:\n${r.all}`);
    });
    const tPulls = Date.now();

    const wd = await exec(`rm -rf ${LAB_WORKDIR} && mkdir -p ${LAB_WORKDIR}`);
    if (wd.exitCode !== 0) throw new Error(`could not create ${LAB_WORKDIR} in the lab:\n${wd.output}`);

    return {
      name,
      workdir: LAB_WORKDIR,
      shell: () => ({
        file: engine.cli,
        args: ['exec', '-it', '-w', LAB_WORKDIR, '-e', 'TERM=xterm-256color', name, 'bash', '--noprofile', '--norc', '--noediting'],
        env: { ...definedEnv(), ...engine.env },
      }),
      exec,
      dispose,
      timings: { container: tContainer - t0, dockerd: tDockerd - tContainer, pulls: tPulls - tDockerd, total: Date.now() - t0 },
    };
  } catch (err) {
    await dispose();
    throw err;
  }
}

function definedEnv(): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(process.env)) if (v !== undefined) out[k] = v;
  return out;
}
