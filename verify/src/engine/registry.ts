// The registry mirror labs pull from. Nested dockerds are configured with
// registry-mirrors=http://mirror:5000, so inside a lab `docker pull busybox` goes to this
// registry first, exactly the path a reader's `docker pull` takes to Docker Hub — without a
// network, and with whatever images (real or stand-in) the host engine has.
//
// The registry container lives for one run (it is labelled with the run id and removed with
// it); its storage is a named volume that outlives runs, so pushes happen once per image id.
//
// The harness never talks to the registry's port itself: the engine may be on another machine
// (DOCKER_HOST=tcp://… or ssh://…), where 127.0.0.1 is that machine's loopback, not ours. The
// engine pushes to its own loopback, and the harness asks the registry through `curl` inside
// the registry's container, over the engine API — the same path whether the engine is local
// or remote.
import type { Engine } from './engine.ts';
import { apiExec } from './exec.ts';
import type { PreparedImage } from './images.ts';
import { LABEL, LABEL_ROLE, runLabels, slug } from './labels.ts';
import { MIRROR_HOST, MIRROR_PORT, REGISTRY_CONFIG_PATH } from './lab-image.ts';
import { run, runOk, waitFor } from './proc.ts';

export const REGISTRY_VOLUME = 'curso-verify-registry';

export interface Mirror {
  /** Container name of the registry. */
  container: string;
  /** User network the registry and the run's labs share (the registry is `mirror` there). */
  network: string;
  /** Published port on the engine host's 127.0.0.1, where the host engine pushes to. */
  hostPort: number;
  /** What this run pushed, and what was already there (same image id). */
  pushed: string[];
  upToDate: string[];
}

export interface StartMirrorOptions {
  runId: string;
  labImage: string;
  images: readonly PreparedImage[];
  log: (msg: string) => void;
}

const MANIFEST_TYPES = ['application/vnd.docker.distribution.manifest.v2+json', 'application/vnd.oci.image.manifest.v1+json'].join(', ');

/** `busybox:latest` → { repo: 'library/busybox', tag: 'latest' } (Docker Hub's naming). */
function hubPath(ref: string): { repo: string; tag: string } {
  const [name, tag = 'latest'] = ref.split(':') as [string, string?];
  return { repo: name.includes('/') ? name : `library/${name}`, tag };
}

/**
 * GET a path of the registry from inside its own container (curl is in the lab image it runs):
 * the body, or null when the registry does not answer 2xx.
 */
async function registryGet(engine: Engine, container: string, path: string, accept?: string): Promise<string | null> {
  const args = ['curl', '-sf', '--max-time', '5'];
  if (accept) args.push('-H', `Accept: ${accept}`);
  const r = await apiExec(engine, container, [...args, `http://127.0.0.1:${MIRROR_PORT}${path}`], { timeoutMs: 10_000 }).catch(() => null);
  return r && r.exitCode === 0 ? r.output : null;
}

/** The config digest of what the registry holds for ref — equal to the image id it was pushed from. */
async function registryImageId(engine: Engine, container: string, ref: string): Promise<string | null> {
  const { repo, tag } = hubPath(ref);
  const body = await registryGet(engine, container, `/v2/${repo}/manifests/${tag}`, MANIFEST_TYPES);
  if (body === null) return null;
  try {
    return (JSON.parse(body) as { config?: { digest?: string } }).config?.digest ?? null;
  } catch {
    return null;
  }
}

export async function startMirror(engine: Engine, opts: StartMirrorOptions): Promise<Mirror> {
  const { docker } = engine;
  const network = `curso-verify-${slug(opts.runId)}`;
  const container = `curso-verify-mirror-${slug(opts.runId)}`;

  await docker.createNetwork({ Name: network, Driver: 'bridge', Labels: runLabels(opts.runId, 'network') });

  // The registry's storage is a cache shared by all runs: labelled as curso-verify but with no
  // run id, so run cleanup leaves it alone.
  // (Creating a volume that exists is a no-op, which also makes concurrent runs safe.)
  await docker.createVolume({ Name: REGISTRY_VOLUME, Labels: { [LABEL]: '1', [LABEL_ROLE]: 'registry-cache' } });

  const c = await docker.createContainer({
    name: container,
    Image: opts.labImage,
    Entrypoint: ['docker-registry'],
    Cmd: ['serve', REGISTRY_CONFIG_PATH],
    Labels: runLabels(opts.runId, 'mirror'),
    ExposedPorts: { [`${MIRROR_PORT}/tcp`]: {} },
    HostConfig: {
      Binds: [`${REGISTRY_VOLUME}:/var/lib/registry`],
      // Random host port on loopback only: the host engine pushes there, nobody else sees it.
      PortBindings: { [`${MIRROR_PORT}/tcp`]: [{ HostIp: '127.0.0.1', HostPort: '' }] },
      NetworkMode: network,
    },
    NetworkingConfig: { EndpointsConfig: { [network]: { Aliases: [MIRROR_HOST] } } },
  });
  await c.start();
  const info = await c.inspect();
  const hostPort = Number(info.NetworkSettings.Ports?.[`${MIRROR_PORT}/tcp`]?.[0]?.HostPort);
  if (!hostPort) throw new Error(`registry ${container} has no published port`);

  const up = await waitFor(async () => (await registryGet(engine, container, '/v2/')) !== null, 30_000, 100);
  if (!up) {
    const logs = await run('docker', ['logs', '--tail', '20', container], { env: engine.env });
    throw new Error(`registry ${container} did not answer on port ${MIRROR_PORT} inside its container:\n${logs.all}`);
  }

  const pushed: string[] = [];
  const upToDate: string[] = [];
  await Promise.all(
    opts.images.map(async (img) => {
      if ((await registryImageId(engine, container, img.ref)) === img.id) {
        upToDate.push(img.ref);
        return;
      }
      const { repo, tag } = hubPath(img.ref);
      // The engine pushes to its own loopback (remote or not); 127.0.0.0/8 registries are
      // insecure (plain http) by default in every engine.
      const target = `127.0.0.1:${hostPort}/${repo}:${tag}`;
      opts.log(`pushing ${img.ref} to the mirror`);
      await runOk('docker', ['tag', img.id, target], { env: engine.env });
      try {
        await runOk('docker', ['push', '-q', target], { env: engine.env, timeoutMs: 10 * 60_000 });
      } finally {
        // The tag names a port of this run only; drop it (the image stays under its own name).
        await run('docker', ['rmi', target], { env: engine.env });
      }
      pushed.push(img.ref);
    }),
  );
  return { container, network, hostPort, pushed, upToDate };
}
