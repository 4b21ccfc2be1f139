// How to run a container that runs its own dockerd. `--privileged` is the standard way, but
// some kernels (this project's CI VMs among them) withhold a capability that privileged mode
// asks for, and the container fails to start ("unable to apply caps"). The fallback grants
// everything except that capability and opens what privileged mode would have opened.
// The choice is probed once per engine and remembered for the rest of the process.
import type Docker from 'dockerode';
import type { Engine } from './engine.ts';
import { runLabels } from './labels.ts';
import { config } from './config.ts';

export type DindMode = 'privileged' | 'capabilities';

// The engine API has CgroupnsMode (API 1.41+); @types/dockerode does not list it yet.
type HostConfig = Docker.HostConfig & { CgroupnsMode?: 'host' | 'private' };

export interface DindConfig {
  mode: DindMode;
  hostConfig: HostConfig;
}

const PRIVILEGED: DindConfig = { mode: 'privileged', hostConfig: { Privileged: true } };

const CAPABILITIES: DindConfig = {
  mode: 'capabilities',
  hostConfig: {
    CapAdd: ['ALL'],
    CapDrop: ['SYS_RESOURCE'],
    SecurityOpt: ['seccomp=unconfined', 'apparmor=unconfined'],
    // The API form of the CLI's `--security-opt systempaths=unconfined`: nothing in /proc and
    // /sys is masked or read-only (the nested dockerd writes there).
    MaskedPaths: [],
    ReadonlyPaths: [],
    // The nested dockerd manages cgroups: give it the host's hierarchy, writable.
    CgroupnsMode: 'host',
    Binds: ['/sys/fs/cgroup:/sys/fs/cgroup:rw'],
  },
};

const chosen = new Map<string, Promise<DindConfig>>();

/** Starts a throwaway privileged container; if the engine cannot start it, use capabilities. */
async function probe(engine: Engine, image: string, runId: string): Promise<DindConfig> {
  const c = await engine.docker.createContainer({
    Image: image,
    Entrypoint: ['true'],
    Cmd: [],
    Labels: runLabels(runId, 'probe'),
    HostConfig: { Privileged: true, NetworkMode: 'none' },
  });
  try {
    await c.start();
    await c.wait();
    return PRIVILEGED;
  } catch {
    return CAPABILITIES;
  } finally {
    await c.remove({ force: true }).catch(() => {});
  }
}

export function dindConfig(engine: Engine, image: string, runId: string): Promise<DindConfig> {
  const forced = config.dindMode();
  if (forced === 'privileged') return Promise.resolve(PRIVILEGED);
  if (forced === 'capabilities') return Promise.resolve(CAPABILITIES);
  let p = chosen.get(engine.dockerHost);
  if (!p) {
    p = probe(engine, image, runId);
    p.catch(() => chosen.delete(engine.dockerHost));
    chosen.set(engine.dockerHost, p);
  }
  return p;
}
