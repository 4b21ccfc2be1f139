// Finding (or, as a last resort, bringing up) the Docker engine everything else runs on.
// Order: what the user asked for (DOCKER_HOST), then the system engine, then an engine this
// harness started on an earlier run, and only then install + start one (root on Debian only).
import Docker from 'dockerode';
import { existsSync } from 'node:fs';
import { ensureHostPackages, HOST_PACKAGES, isDebian, isRoot } from './host-packages.ts';
import { harnessDockerdPaths, harnessDockerdPid, startHarnessDockerd, stopHint } from './dockerd.ts';
import { run, waitFor } from './proc.ts';

export const DEFAULT_SOCKET = '/var/run/docker.sock';

export interface Engine {
  docker: Docker;
  /** Unix socket path of the engine, or null when it is reached over tcp/ssh. */
  socketPath: string | null;
  /** The engine address as DOCKER_HOST spells it, e.g. unix:///var/run/docker.sock. */
  dockerHost: string;
  /** Environment for spawning the `docker` CLI against this engine (merge into process.env). */
  env: Record<string, string>;
  /** Where the engine came from, for the report. */
  origin: 'DOCKER_HOST' | 'default-socket' | 'harness-dockerd' | 'harness-dockerd-started';
  engineVersion: string;
  engineApiVersion: string;
  clientVersion: string;
  /** Path of the docker CLI used for `docker …` commands. */
  cli: string;
}

export class EngineUnavailableError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'EngineUnavailableError';
  }
}

export interface ConnectOptions {
  cacheDir: string;
  log: (msg: string) => void;
  /** How long to wait for an engine we started to answer (default 60 s). */
  startTimeoutMs?: number;
}

/** True if an engine answers /_ping within `timeoutMs`. */
async function answers(docker: Docker, timeoutMs = 3_000): Promise<boolean> {
  try {
    // dockerode forwards abortSignal to the request; its typings do not list the option.
    const ping = docker.ping.bind(docker) as unknown as (opts: { abortSignal: AbortSignal }) => Promise<unknown>;
    await ping({ abortSignal: AbortSignal.timeout(timeoutMs) });
    return true;
  } catch {
    return false;
  }
}

async function describe(docker: Docker, socketPath: string | null, dockerHost: string, origin: Engine['origin']): Promise<Engine> {
  const env = { DOCKER_HOST: dockerHost };
  // `docker version` reports both sides as the CLI negotiates them, which is what the CLI
  // commands run by the harness (and by the pages, inside labs) will see.
  const r = await run('docker', ['version', '--format', '{{json .}}'], { env, timeoutMs: 20_000 });
  let engineVersion = '';
  let engineApiVersion = '';
  let clientVersion = '';
  try {
    const v = JSON.parse(r.stdout) as {
      Client?: { Version?: string };
      Server?: { Version?: string; ApiVersion?: string } | null;
    };
    clientVersion = v.Client?.Version ?? '';
    engineVersion = v.Server?.Version ?? '';
    engineApiVersion = v.Server?.ApiVersion ?? '';
  } catch {
    // Fall back to the API for the engine side if the CLI is missing or too old for --format json.
  }
  if (!engineVersion) {
    const v = await docker.version();
    engineVersion = v.Version;
    engineApiVersion = v.ApiVersion;
  }
  if (!clientVersion && r.exitCode !== 0) {
    throw new EngineUnavailableError(
      `the engine at ${dockerHost} answers but the docker CLI does not work:\n${r.all.trim()}\n` +
        'Install the docker CLI (Debian: apt-get install docker.io, or docker-cli).',
    );
  }
  const which = await run('sh', ['-c', 'command -v docker']);
  return {
    docker,
    socketPath,
    dockerHost,
    env,
    origin,
    engineVersion,
    engineApiVersion,
    clientVersion,
    cli: which.stdout.trim() || 'docker',
  };
}

export async function connectEngine(opts: ConnectOptions): Promise<Engine> {
  const { log } = opts;

  // 1. The user said where the engine is: use that or fail, never silently use another one.
  const fromEnv = process.env.DOCKER_HOST;
  if (fromEnv) {
    const docker = new Docker(); // docker-modem parses DOCKER_HOST (+ DOCKER_TLS_VERIFY, DOCKER_CERT_PATH)
    if (!(await answers(docker, 10_000))) {
      throw new EngineUnavailableError(
        `DOCKER_HOST=${fromEnv} is set but no Docker engine answers there. ` +
          'Start that engine, or unset DOCKER_HOST to let the harness find or start one.',
      );
    }
    const socketPath = fromEnv.startsWith('unix://') ? fromEnv.slice('unix://'.length) : null;
    return describe(docker, socketPath, fromEnv, 'DOCKER_HOST');
  }

  // 2. The system engine.
  if (existsSync(DEFAULT_SOCKET)) {
    const docker = new Docker({ socketPath: DEFAULT_SOCKET });
    if (await answers(docker)) return describe(docker, DEFAULT_SOCKET, `unix://${DEFAULT_SOCKET}`, 'default-socket');
  }

  // 3. The engine this harness started on an earlier run.
  const paths = harnessDockerdPaths(opts.cacheDir);
  const ours = new Docker({ socketPath: paths.socket });
  if (existsSync(paths.socket) && (await answers(ours))) {
    return describe(ours, paths.socket, `unix://${paths.socket}`, 'harness-dockerd');
  }

  // 4. Bring one up ourselves — only where we know how: root on Debian.
  if (!isRoot() || !isDebian()) {
    throw new EngineUnavailableError(
      'No Docker engine found (DOCKER_HOST is unset, nothing answers on /var/run/docker.sock, ' +
        `and no harness engine on ${paths.socket}). To get one, either:\n` +
        '  - point DOCKER_HOST at a running engine (e.g. DOCKER_HOST=unix:///run/user/1000/docker.sock);\n' +
        '  - start Docker (e.g. `sudo systemctl start docker`, or `sudo dockerd &`) and make its socket usable by you;\n' +
        '  - or run the harness as root on Debian: it then installs docker.io and starts its own dockerd.',
    );
  }
  const installed = await ensureHostPackages(HOST_PACKAGES, log);
  if (installed.length > 0) log(`installed: ${installed.join(' ')}`);

  // The packages' scripts may have started a system engine (where services can start).
  if (existsSync(DEFAULT_SOCKET)) {
    const docker = new Docker({ socketPath: DEFAULT_SOCKET });
    if (await answers(docker)) return describe(docker, DEFAULT_SOCKET, `unix://${DEFAULT_SOCKET}`, 'default-socket');
  }

  const running = harnessDockerdPid(paths);
  if (running) {
    // Alive but not answering: most likely still starting (another run just launched it).
    log(`harness dockerd (pid ${running}) is running but not answering yet; waiting for it`);
  } else {
    const pid = startHarnessDockerd(paths);
    log(
      `started the harness's own dockerd (pid ${pid}): socket ${paths.socket}, data ${paths.dataRoot}, ` +
        `log ${paths.logFile}. It stays running for later runs; stop it with: ${stopHint(paths)}`,
    );
  }
  const up = await waitFor(() => answers(ours, 2_000), opts.startTimeoutMs ?? 60_000, 250);
  if (!up) {
    throw new EngineUnavailableError(
      `started dockerd but it did not answer on ${paths.socket} within ${(opts.startTimeoutMs ?? 60_000) / 1000} s; ` +
        `see its log: ${paths.logFile}`,
    );
  }
  return describe(ours, paths.socket, `unix://${paths.socket}`, 'harness-dockerd-started');
}
