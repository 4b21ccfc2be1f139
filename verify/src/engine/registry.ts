// The registry mirror labs pull from. Nested dockerds are configured with
// registry-mirrors=http://mirror:5000, so inside a lab `docker pull busybox` goes to this
// registry first, exactly the path a reader's `docker pull` takes to Docker Hub — without a
// network, and with whatever images (real or stand-in) the host engine has.
//
// The registry container lives for one run (it is labelled with the run id and removed with
// it); its storage is a named volume that outlives runs, so pushes happen once per image id.
import type { Engine } from './engine.ts';
import type { ImageProvenance } from './images.ts';
import { LABEL, LABEL_ROLE, runLabels, slug } from './labels.ts';
import { MIRROR_HOST, MIRROR_PORT, REGISTRY_CONFIG_PATH } from './lab-image.ts';
import { run, runOk, waitFor } from './proc.ts';

export const REGISTRY_VOLUME = 'curso-verify-registry';

export interface Mirror {
  /** Container name of the registry. */
  container: string;
  /** User network the registry and the run's labs share (the registry is `mirror` there). */
  network: string;
  /** Published port on 127.0.0.1 of the engine host, for pushing from the host engine. */
  hostPort: number;
  /** http://127.0.0.1:<hostPort> */
  url: string;
  /** What this run pushed, and what was already there (same image id). */
  pushed: string[];
  upToDate: string[];
}

export interface StartMirrorOptions {
  runId: string;
  labImage: string;
  images: readonly ImageProvenance[];
  log: (msg: string) => void;
}

const MANIFEST_TYPES = [
  'application/vnd.docker.distribution.manifest.v2+json',
  'application/vnd.oci.image.manifest.v1+json',
].join(', ');

/** `busybox:latest` → { repo: 'library/busybox', tag: 'latest' } (Docker Hub's naming). */
function hubPath(ref: string): { repo: string; tag: string } {
  const [name, tag = 'latest'] = ref.split(':') as [string, string?];
  return { repo: name.includes('/') ? name : `library/${name}`, tag };
}

/** The config digest of what the registry holds for ref — equal to the image id it was pushed from. */
async function registryImageId(url: string, ref: string): Promise<string | null> {
  const { repo, tag } = hubPath(ref);
  try {
    const res = await fetch(`${url}/v2/${repo}/manifests/${tag}`, {
      headers: { Accept: MANIFEST_TYPES },
      signal: AbortSignal.timeout(5_000),
    });
    if (!res.ok) return null;
    const m = (await res.json()) as { config?: { digest?: string } };
    return m.config?.digest ?? null;
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
  const url = `http://127.0.0.1:${hostPort}`;

  const up = await waitFor(async () => (await fetch(`${url}/v2/`, { signal: AbortSignal.timeout(2_000) })).ok, 30_000, 100);
  if (!up) {
    const logs = await run('docker', ['logs', '--tail', '20', container], { env: engine.env });
    throw new Error(`registry ${container} did not answer on ${url}/v2/:\n${logs.all}`);
  }

  const pushed: string[] = [];
  const upToDate: string[] = [];
  await Promise.all(
    opts.images.map(async (img) => {
      if ((await registryImageId(url, img.ref)) === img.id) {
        upToDate.push(img.ref);
        return;
      }
      const { repo, tag } = hubPath(img.ref);
      // 127.0.0.0/8 registries are insecure (plain http) by default in every engine.
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
  return { container, network, hostPort, url, pushed, upToDate };
}
