// Making sure a run leaves nothing behind. Everything a run creates carries its run id in a
// label, so cleanup needs no bookkeeping: ask the engine for the label and remove what it
// lists. Caches (images, the registry's data volume, the harness dockerd) carry no run id and
// are never touched here.
import { hostname } from 'node:os';
import type { Engine } from './engine.ts';
import { LABEL, LABEL_HOST, LABEL_PID, LABEL_PID_START, LABEL_RUN, processStartTime } from './labels.ts';
import { sleep, waitFor } from './proc.ts';

export interface RemovedObjects {
  containers: string[];
  networks: string[];
  volumes: string[];
}

const notFound = (err: unknown) => (err as { statusCode?: number }).statusCode === 404;

/**
 * Removes a volume; true when it was there. A volume is briefly "in use" after its container is
 * removed, so this retries for a few seconds, then throws the engine's last refusal.
 */
export async function removeVolume(engine: Engine, name: string): Promise<boolean> {
  let existed = true;
  let refusal: unknown = null;
  const done = await waitFor(
    async () => {
      try {
        await engine.docker.getVolume(name).remove();
        return true;
      } catch (err) {
        if (notFound(err)) {
          existed = false;
          return true;
        }
        refusal = err;
        return false;
      }
    },
    5_000,
    250,
  );
  if (!done) throw refusal;
  return existed;
}

/** Removes every container, network and volume labelled with `runId`. Safe to call twice. */
export async function removeRun(engine: Engine, runId: string): Promise<RemovedObjects> {
  const { docker } = engine;
  const filter = { label: [`${LABEL_RUN}=${runId}`] };
  const removed: RemovedObjects = { containers: [], networks: [], volumes: [] };

  // Containers first: networks and volumes cannot go while a container uses them.
  const containers = await docker.listContainers({ all: true, filters: filter });
  await Promise.all(
    containers.map(async (c) => {
      try {
        await docker.getContainer(c.Id).remove({ force: true, v: true });
        removed.containers.push(c.Names[0]?.replace(/^\//, '') ?? c.Id);
      } catch (err) {
        if (!notFound(err)) throw err;
      }
    }),
  );

  const networks = await docker.listNetworks({ filters: filter });
  for (const n of networks) {
    try {
      await docker.getNetwork(n.Id).remove();
      removed.networks.push(n.Name);
    } catch (err) {
      if (!notFound(err)) throw err;
    }
  }

  const { Volumes: volumes = [] } = await docker.listVolumes({ filters: filter });
  await Promise.all(
    volumes.map(async (v) => {
      if (await removeVolume(engine, v.Name)) removed.volumes.push(v.Name);
    }),
  );
  return removed;
}

/**
 * On Ctrl-C (SIGINT) or SIGTERM: remove the run's labs and mirror, then exit with 128+signal
 * (130 for Ctrl-C, 143 for SIGTERM). Returns a function that uninstalls the handlers, for the
 * normal end of a run. A second signal while cleaning up is ignored (the cleanup is bounded).
 */
export function installSignalCleanup(
  runId: string,
  engine: Engine,
  opts: { log?: (msg: string) => void; timeoutMs?: number } = {},
): () => void {
  let cleaning = false;
  const handler = (signal: NodeJS.Signals) => {
    if (cleaning) {
      opts.log?.(`${signal} again: still removing the run's containers, please wait`);
      return;
    }
    cleaning = true;
    opts.log?.(`${signal}: removing run ${runId}'s labs and mirror before exiting`);
    const code = signal === 'SIGINT' ? 130 : 143;
    const bound = sleep(opts.timeoutMs ?? 30_000).then(() => opts.log?.('cleanup took too long; exiting anyway'));
    Promise.race([removeRun(engine, runId).catch((err) => opts.log?.(`cleanup failed: ${String(err)}`)), bound]).finally(() =>
      process.exit(code),
    );
  };
  process.on('SIGINT', handler);
  process.on('SIGTERM', handler);
  return () => {
    process.off('SIGINT', handler);
    process.off('SIGTERM', handler);
  };
}

/** Is the process that labelled an object still the one running under that pid? */
function ownerAlive(labels: Record<string, string> | undefined): boolean {
  const pid = Number(labels?.[LABEL_PID]);
  if (!pid) return true; // not ours to judge
  const recorded = labels?.[LABEL_PID_START];
  const now = processStartTime(pid);
  if (now !== null) return !recorded || recorded === now; // same pid, same start: same process
  try {
    process.kill(pid, 0); // no /proc (not Linux): fall back to "a process with that pid exists"
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Removes leftovers of earlier runs on this host whose process is gone (killed with SIGKILL,
 * a crashed machine, a test runner that timed out). Runs of live processes are left alone, so
 * two runs at once do not remove each other's labs.
 */
export async function removeStale(engine: Engine, log?: (msg: string) => void): Promise<string[]> {
  const { docker } = engine;
  const filters = { label: [`${LABEL}=1`, `${LABEL_HOST}=${hostname()}`] };
  const labelSets: Array<Record<string, string> | undefined> = [
    ...(await docker.listContainers({ all: true, filters })).map((c) => c.Labels),
    ...(await docker.listNetworks({ filters })).map((n) => n.Labels),
    ...((await docker.listVolumes({ filters })).Volumes ?? []).map((v) => v.Labels ?? undefined),
  ];
  const stale = new Set<string>();
  for (const labels of labelSets) {
    const run = labels?.[LABEL_RUN];
    if (run && !ownerAlive(labels)) stale.add(run);
  }
  for (const run of stale) {
    const r = await removeRun(engine, run);
    log?.(`removed leftovers of run ${run}: ${[...r.containers, ...r.networks, ...r.volumes].join(', ') || 'nothing'}`);
  }
  return [...stale];
}
